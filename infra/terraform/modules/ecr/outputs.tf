output "repository_name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}

output "repository_url" {
  description = "URL to tag and push images to (<account>.dkr.ecr.<region>.amazonaws.com/<name>)."
  value       = aws_ecr_repository.this.repository_url
}

output "repository_arn" {
  description = "ARN of the repository (for CI push policies)."
  value       = aws_ecr_repository.this.arn
}

output "registry_id" {
  description = "Account ID of the registry."
  value       = aws_ecr_repository.this.registry_id
}
