output "jwt_signing_key_secret_arn" {
  description = "ARN of the JWT signing key secret (JWT_SIGNING_KEY_SECRET_ARN of the auth service)."
  value       = aws_secretsmanager_secret.jwt_signing_key.arn
}

output "jwt_signing_key_secret_name" {
  description = "Name of the JWT signing key secret (for `aws secretsmanager put-secret-value --secret-id`)."
  value       = aws_secretsmanager_secret.jwt_signing_key.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key of the secret (readers need kms:Decrypt on it)."
  value       = aws_kms_key.this.arn
}
