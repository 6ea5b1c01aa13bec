output "role_arns" {
  description = "IRSA role ARN per service account (eks.amazonaws.com/role-arn annotation), keyed by service account name."
  value       = { for sa, role in aws_iam_role.this : sa => role.arn }
}

output "role_names" {
  description = "IRSA role name per service account."
  value       = { for sa, role in aws_iam_role.this : sa => role.name }
}

output "service_accounts" {
  description = "namespace/name of every service account a role trusts."
  value       = { for sa, ns in local.service_accounts : sa => "${ns}/${sa}" }
}
