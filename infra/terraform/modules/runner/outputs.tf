output "project_name" {
  description = "The CodeBuild project; a workflow job selects it with runs-on: codebuild-<project_name>-<run id>-<run attempt>."
  value       = aws_codebuild_project.runner.name
}

output "security_group_id" {
  description = "Security group of the runner (admitted by the EKS API endpoint's security group)."
  value       = aws_security_group.runner.id
}

output "github_connection_arn" {
  description = "The CodeConnections connection to GitHub. It starts PENDING: an administrator completes it once in the console (Developer Tools > Connections). null under moto."
  value       = var.enable_github_connection ? aws_codestarconnections_connection.github[0].arn : null
}
