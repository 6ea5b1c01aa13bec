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
  description = "VPC ID."
  value       = module.vpc.vpc_id
}

output "vpc_cidr" {
  description = "CIDR of the VPC."
  value       = module.vpc.vpc_cidr_block
}

output "public_subnet_cidrs" {
  description = "Public subnets, where the ALB lives: the NetworkPolicies admit them to the servers on 8080."
  value       = module.vpc.public_subnet_cidrs
}

output "private_subnet_ids" {
  description = "Private subnets, where the Auto Mode nodes are placed (the NodeClass in k8s/cluster selects them)."
  value       = module.vpc.private_subnet_ids
}

output "private_subnet_cidrs" {
  description = "Private subnets, where the nodes and RDS live: the NetworkPolicies allow Postgres (5432) to them."
  value       = module.vpc.private_subnet_cidrs
}

output "kubernetes_version" {
  description = "Kubernetes version of the control plane."
  value       = module.eks.cluster_version
}

output "node_role_name" {
  description = "IAM role of the Auto Mode nodes (the NodeClass in k8s/cluster names it)."
  value       = module.eks.node_role_name
}

output "eks_addons" {
  description = "EKS add-ons of the cluster (name => pinned version, null = the default for the Kubernetes version)."
  value       = module.eks.addons
}

output "deploy_role_arn" {
  description = "Role the delivery workflow assumes through GitHub OIDC (GitHub environment variable AWS_DEPLOY_ROLE_ARN)."
  value       = module.ci.deploy_role_arn
}

output "deploy_role_trusted_subjects" {
  description = "OIDC sub claims the deploy role accepts (repository, environment, branch)."
  value       = module.ci.trusted_subjects
}

output "github_oidc_provider_arn" {
  description = "The account's GitHub Actions OIDC provider."
  value       = module.ci.github_oidc_provider_arn
}

output "permissions_boundary_arn" {
  description = "Permissions boundary every role of the environment carries."
  value       = module.ci.permissions_boundary_arn
}

output "runner_project_name" {
  description = "CodeBuild project of the in-VPC GitHub Actions runner (runs-on: codebuild-<this>-<run id>-<attempt>)."
  value       = module.runner.project_name
}

output "github_connection_arn" {
  description = "CodeConnections connection of the runner; PENDING until an administrator completes it in the console (null under moto)."
  value       = module.runner.github_connection_arn
}

output "namespace" {
  description = "Kubernetes namespace of the services."
  value       = "expense"
}

output "ecr_repository_arn" {
  description = "ARN of the image repository (prod's promotion pulls from dev's)."
  value       = module.ecr.repository_arn
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
  description = "Event queue of each consuming role (its SQS_QUEUE_URL), keyed by role: notifications, receipts, expenses."
  value       = module.messaging.queue_urls
}

output "sqs_dlq_urls" {
  description = "Dead-letter queue of each consuming role (its SQS_DLQ_URL), keyed by role: notifications, receipts, expenses."
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
  description = "IRSA role of expense/notifications."
  value       = module.iam.role_arns["notifications"]
}

output "migrate_role_arn" {
  description = "IRSA role of expense/migrate."
  value       = module.iam.role_arns["migrate"]
}

output "monthly_summary_role_arn" {
  description = "IRSA role of expense/monthly-summary (the CronJob)."
  value       = module.iam.role_arns["monthly-summary"]
}

output "fluent_bit_role_arn" {
  description = "IRSA role of logging/fluent-bit."
  value       = module.iam.role_arns["fluent-bit"]
}

output "certificate_arn" {
  description = "ACM certificate of the hostname (alb.ingress.kubernetes.io/certificate-arn)."
  value       = module.alb.certificate_arn
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate (when not managed in Route 53)."
  value       = module.alb.certificate_validation_records
}

output "route53_zone_id" {
  description = "Route 53 zone of the host name, where `cargo xtask deploy` points it at the ALB (null = DNS is managed elsewhere, by hand)."
  value       = var.route53_zone_id
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
