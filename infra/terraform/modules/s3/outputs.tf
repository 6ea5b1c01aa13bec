output "bucket_name" {
  description = "Name of the receipts bucket (S3_BUCKET of the receipts service)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the receipts bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the receipts bucket."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "kms_key_arn" {
  description = "ARN of the bucket's KMS key (the receipts role needs GenerateDataKey/Decrypt on it)."
  value       = aws_kms_key.this.arn
}

output "access_log_bucket_name" {
  description = "Name of the server access log bucket."
  value       = aws_s3_bucket.access_logs.id
}

output "pending_tag" {
  description = "Tag (key/value) that marks unconfirmed uploads for expiry; the receipts service binds it into presigned PUTs."
  value = {
    key   = var.pending_tag_key
    value = var.pending_tag_value
  }
}
