output "deploy_role_arn" {
  description = "The role the delivery workflow assumes (GitHub environment variable AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deploy.arn
}

output "deploy_role_name" {
  description = "Name of the deploy role."
  value       = aws_iam_role.deploy.name
}

output "github_oidc_provider_arn" {
  description = "The account's IAM OIDC provider for GitHub Actions."
  value       = local.github_oidc_provider_arn
}

output "permissions_boundary_arn" {
  description = "The permissions boundary every role the deploy role creates must carry."
  value       = aws_iam_policy.boundary.arn
}

output "trusted_subjects" {
  description = "The OIDC subjects (sub claims) the deploy role trusts: repository, environment and branch."
  value       = local.subjects
}
