output "environment" {
  description = "Environment name."
  value       = local.env
}

output "region" {
  description = "AWS region (AWS_REGION)."
  value       = data.aws_region.current.name
}

output "account_id" {
  description = "AWS account of the environment."
  value       = local.account_id
}

output "cluster_name" {
  description = "EKS cluster name (aws-sdk-eks DescribeCluster in `cargo xtask deploy`)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "vpc_id" {
  description = "VPC ID (--aws-vpc-id of the AWS Load Balancer Controller; nodes deny pods IMDS access)."
  value       = module.vpc.vpc_id
}

output "namespace" {
  description = "Kubernetes namespace of the services."
  value       = "expense"
}

output "ecr_repository_url" {
  description = "Repository URL of the expense-server image."
  value       = module.ecr.repository_url
}

output "receipts_bucket" {
  description = "Receipts bucket (S3_BUCKET)."
  value       = module.s3.bucket_name
}

output "receipts_pending_tag" {
  description = "Tag the receipts service binds into presigned PUTs and removes on confirmation; still-tagged objects expire."
  value       = module.s3.pending_tag
}

output "sns_topic_arn" {
  description = "Domain-event topic (SNS_TOPIC_ARN)."
  value       = module.messaging.topic_arn
}

output "sqs_queue_urls" {
  description = "Event queue of each consuming role (its SQS_QUEUE_URL), keyed by role: notifications, receipts."
  value       = module.messaging.queue_urls
}

output "sqs_dlq_urls" {
  description = "Dead-letter queue of each consuming role (its SQS_DLQ_URL), keyed by role: notifications, receipts."
  value       = module.messaging.dlq_urls
}

output "rds_endpoint" {
  description = "Postgres host:port."
  value       = module.rds.endpoint
}

output "database_url" {
  description = "DATABASE_URL without credentials (they come from DATABASE_SECRET_ARN)."
  value       = "postgres://${module.rds.address}:${module.rds.port}/${module.rds.db_name}?sslmode=require"
}

output "rds_master_secret_arn" {
  description = "RDS-managed master secret (DATABASE_SECRET_ARN)."
  value       = module.rds.master_user_secret_arn
}

output "jwt_secret_arn" {
  description = "JWT signing key secret (JWT_SIGNING_KEY_SECRET_ARN); its value is put outside Terraform."
  value       = module.secrets.jwt_signing_key_secret_arn
}

output "jwt_secret_name" {
  description = "Name of the JWT signing key secret."
  value       = module.secrets.jwt_signing_key_secret_name
}

output "mail_from" {
  description = "Sender address (MAIL_FROM)."
  value       = module.ses.mail_from
}

output "ses_dkim_records" {
  description = "DKIM CNAMEs to publish for the SES domain identity (when not managed in Route 53)."
  value       = module.ses.dkim_records
}

output "irsa_role_arns" {
  description = "IRSA role ARN per service account."
  value       = module.iam.role_arns
}

output "auth_role_arn" {
  description = "IRSA role of expense/auth."
  value       = module.iam.role_arns["auth"]
}

output "expenses_role_arn" {
  description = "IRSA role of expense/expenses."
  value       = module.iam.role_arns["expenses"]
}

output "receipts_role_arn" {
  description = "IRSA role of expense/receipts."
  value       = module.iam.role_arns["receipts"]
}

output "notifications_role_arn" {
  description = "IRSA role of expense/notifications (also the monthly-summary CronJob)."
  value       = module.iam.role_arns["notifications"]
}

output "migrate_role_arn" {
  description = "IRSA role of expense/migrate."
  value       = module.iam.role_arns["migrate"]
}

output "fluent_bit_role_arn" {
  description = "IRSA role of logging/fluent-bit."
  value       = module.iam.role_arns["fluent-bit"]
}

output "alb_controller_role_arn" {
  description = "IRSA role of kube-system/aws-load-balancer-controller."
  value       = module.alb.controller_role_arn
}

output "certificate_arn" {
  description = "ACM certificate of the hostname (alb.ingress.kubernetes.io/certificate-arn)."
  value       = module.alb.certificate_arn
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate (when not managed in Route 53)."
  value       = module.alb.certificate_validation_records
}

output "hostname" {
  description = "Public hostname of the API."
  value       = module.alb.hostname
}

output "services_log_group" {
  description = "Log group fluent-bit ships to."
  value       = module.observability.services_log_group_name
}

output "alarm_topic_arn" {
  description = "SNS topic of all alarms."
  value       = module.observability.alarm_topic_arn
}
