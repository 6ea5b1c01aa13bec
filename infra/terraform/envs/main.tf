# One configuration for every environment: what differs between dev and prod
# is in its variable file (dev.tfvars, prod.tfvars), and each has its own
# state (the backend config `cargo xtask provision --env <env>` writes).
locals {
  env           = var.env
  name          = "expense-${local.env}"
  cluster_name  = local.name
  db_identifier = "${local.name}-postgres"
  account_id    = data.aws_caller_identity.current.account_id

  ses_identity = coalesce(var.ses_identity, split("@", var.mail_from)[1])
  azs          = length(var.availability_zones) > 0 ? var.availability_zones : [for s in ["a", "b", "c"] : "${var.region}${s}"]

  # The roles that consume domain events, each from its own queue
  # (docs/configuration.md, "AWS and events"); expenses and auth publish.
  # expenses consumes account.deleted (docs/events/README.md).
  event_consumers = ["notifications", "receipts", "expenses"]

  # The Terraform state backend `cargo xtask bootstrap` made (its naming is
  # xtask's infra::Backend).
  state_bucket     = "expense-tfstate-${local.account_id}-${local.env}"
  state_lock_table = "expense-tflocks-${local.env}"

  # The CI deploy role administers the cluster next to the listed operators.
  eks_admin_principal_arns = merge(
    { ci-deploy = module.ci.deploy_role_arn },
    { for arn in var.eks_admin_principal_arns : arn => arn },
  )

  # dev builds the image and promotes from nowhere. prod runs only images
  # that passed dev: it copies them from dev's repository by digest
  # (docs/deploying.md, "Promotion").
  promotion_source_repository_arns = local.env == "prod" ? [coalesce(
    var.image_promotion_source_repository_arn,
    "arn:${one(data.aws_partition.current[*].partition)}:ecr:${var.region}:${local.account_id}:repository/expense-dev/expense-server",
  )] : []

  # The ALB is created by EKS Auto Mode from the Ingress at deploy time and
  # tagged eks:eks-cluster-name = <cluster>; once it exists, the next
  # provision puts alarms on it. An explicit list wins.
  discovered_alb_arn_suffixes = [
    for arn in sort(tolist(data.aws_lbs.cluster.arns)) : regex("app/[^/]+/[0-9a-f]+$", arn)
    if strcontains(arn, ":loadbalancer/app/")
  ]
  alb_arn_suffixes = length(var.alb_arn_suffixes) > 0 ? var.alb_arn_suffixes : local.discovered_alb_arn_suffixes
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

# Only prod names another repository (dev's, for the promotion).
data "aws_partition" "current" {
  count = local.env == "prod" ? 1 : 0
}

# The AZs are pinned by name, so the layout never moves when AWS adds a zone;
# the postcondition fails the plan if one of them is not available.
data "aws_availability_zones" "selected" {
  state = "available"

  filter {
    name   = "zone-name"
    values = local.azs
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) == length(local.azs)
      error_message = "Not all of ${join(", ", local.azs)} are available in ${var.region}; set availability_zones."
    }
  }
}

data "aws_lbs" "cluster" {
  tags = {
    "eks:eks-cluster-name" = local.cluster_name
  }
}

module "observability" {
  source = "../modules/observability"

  name                        = local.name
  cluster_name                = local.cluster_name
  db_identifier               = local.db_identifier
  dlq_names                   = module.messaging.dlq_names
  alb_arn_suffixes            = local.alb_arn_suffixes
  log_retention_days          = var.log_retention_days
  alarm_emails                = var.alarm_emails
  kms_deletion_window_in_days = var.kms_deletion_window_in_days
}

module "vpc" {
  source = "../modules/vpc"

  name               = local.name
  cidr_block         = var.vpc_cidr
  azs                = sort(data.aws_availability_zones.selected.names)
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.cluster_name
  flow_log_group_arn = module.observability.flow_log_group_arn

  permissions_boundary = module.ci.permissions_boundary_arn
}

module "eks" {
  source = "../modules/eks"

  name                         = local.cluster_name
  kubernetes_version           = var.kubernetes_version
  support_type                 = "STANDARD"
  vpc_id                       = module.vpc.vpc_id
  subnet_ids                   = module.vpc.private_subnet_ids
  public_access_cidrs          = var.eks_public_access_cidrs
  control_plane_log_group_name = module.observability.eks_control_plane_log_group_name
  admin_principal_arns         = var.moto ? {} : local.eks_admin_principal_arns
  kms_deletion_window_in_days  = var.kms_deletion_window_in_days
  permissions_boundary         = module.ci.permissions_boundary_arn

  # The private API endpoint admits the CI runner in the VPC (docs/
  # deploying.md, "How CI reaches the cluster").
  api_client_security_group_ids = { ci-runner = module.runner.security_group_id }

  # moto: no add-on or access-entry API; it stores neither access_config,
  # upgrade_policy nor the Auto Mode settings (compute, storage, load
  # balancing).
  enable_addons         = !var.moto
  enable_access_config  = !var.moto
  enable_upgrade_policy = !var.moto
  enable_auto_mode      = !var.moto
}

module "rds" {
  source = "../modules/rds"

  identifier              = local.db_identifier
  instance_class          = var.db_instance_class
  allocated_storage       = var.db_allocated_storage
  max_allocated_storage   = var.db_max_allocated_storage
  multi_az                = var.db_multi_az
  backup_retention_period = var.db_backup_retention_days
  deletion_protection     = var.db_deletion_protection
  skip_final_snapshot     = var.db_skip_final_snapshot
  snapshot_identifier     = var.db_snapshot_identifier
  apply_immediately       = var.db_apply_immediately

  vpc_id          = module.vpc.vpc_id
  subnet_ids      = module.vpc.private_subnet_ids
  log_group_names = module.observability.rds_log_group_names

  # Pods run on the managed nodes, which carry the EKS cluster security
  # group. moto reports no cluster security group (null), so no rule there.
  allowed_security_group_ids = var.moto ? {} : { eks-cluster = module.eks.cluster_security_group_id }

  # moto never stores parameter-group parameters (endless drift), and
  # ignores enhanced monitoring and Performance Insights.
  enable_parameters            = !var.moto
  monitoring_interval          = var.moto ? 0 : 60
  performance_insights_enabled = !var.moto

  kms_deletion_window_in_days = var.kms_deletion_window_in_days
  permissions_boundary        = module.ci.permissions_boundary_arn
}

module "s3" {
  source = "../modules/s3"

  bucket_name                 = "${local.name}-receipts-${local.account_id}"
  force_destroy               = var.receipts_force_destroy
  cors_allowed_origins        = ["https://${var.hostname}"]
  kms_deletion_window_in_days = var.kms_deletion_window_in_days
}

module "messaging" {
  source = "../modules/messaging"

  name = local.name

  # One queue + DLQ per consuming role (SQS_QUEUE_URL/SQS_DLQ_URL of that
  # role's Deployment); the IRSA role of each may only use its own.
  consumers = local.event_consumers

  # moto hangs on SetQueueAttributes(RedriveAllowPolicy) and never stores it.
  enable_redrive_allow_policy = !var.moto

  kms_deletion_window_in_days = var.kms_deletion_window_in_days
}

module "ses" {
  source = "../modules/ses"

  identity  = local.ses_identity
  mail_from = var.mail_from

  # moto returns no DKIM tokens, so DKIM records cannot be made there.
  route53_zone_id = var.moto ? null : var.route53_zone_id
}

module "secrets" {
  source = "../modules/secrets"

  name                        = local.name
  secret_path_prefix          = "expense/${local.env}"
  recovery_window_in_days     = var.secret_recovery_window_days
  kms_deletion_window_in_days = var.kms_deletion_window_in_days
}

module "ecr" {
  source = "../modules/ecr"

  repository_name             = var.ecr_repository_name
  force_delete                = var.ecr_force_delete
  pull_principal_arns         = var.ecr_pull_principal_arns
  kms_deletion_window_in_days = var.kms_deletion_window_in_days
}

module "iam" {
  source = "../modules/iam"

  name              = local.name
  oidc_provider_arn = module.eks.oidc_provider_arn
  oidc_issuer_url   = module.eks.oidc_issuer_url

  rds_master_secret_arn  = module.rds.master_user_secret_arn
  rds_kms_key_arn        = module.rds.kms_key_arn
  jwt_secret_arn         = module.secrets.jwt_signing_key_secret_arn
  secrets_kms_key_arn    = module.secrets.kms_key_arn
  sns_topic_arn          = module.messaging.topic_arn
  messaging_kms_key_arn  = module.messaging.kms_key_arn
  ses_identity_arn       = module.ses.identity_arn
  mail_from              = module.ses.mail_from
  receipts_bucket_arn    = module.s3.bucket_arn
  receipts_kms_key_arn   = module.s3.kms_key_arn
  services_log_group_arn = module.observability.services_log_group_arn
  permissions_boundary   = module.ci.permissions_boundary_arn

  # Each consuming role gets exactly its own queue and DLQ.
  event_queues = {
    for c in local.event_consumers : c => {
      queue_arn = module.messaging.queue_arns[c]
      dlq_arn   = module.messaging.dlq_arns[c]
    }
  }
}

module "alb" {
  source = "../modules/alb"

  hostname        = var.hostname
  route53_zone_id = var.route53_zone_id
}

module "ci" {
  source = "../modules/ci"

  name                        = local.name
  env                         = local.env
  github_repository           = var.github_repository
  github_branch               = var.github_branch
  github_environments         = [local.env]
  create_github_oidc_provider = var.create_github_oidc_provider
  state_bucket                = local.state_bucket
  state_lock_table            = local.state_lock_table
  cluster_name                = local.cluster_name
  ecr_repository_arn          = module.ecr.repository_arn
  route53_zone_ids            = var.route53_zone_id == null ? [] : [var.route53_zone_id]

  promotion_source_repository_arns = local.promotion_source_repository_arns
}

module "runner" {
  source = "../modules/runner"

  name                 = local.name
  github_repository    = var.github_repository
  vpc_id               = module.vpc.vpc_id
  subnet_ids           = module.vpc.private_subnet_ids
  log_retention_days   = var.log_retention_days
  permissions_boundary = module.ci.permissions_boundary_arn

  # moto implements neither CodeConnections nor CodeBuild webhooks.
  enable_github_connection = !var.moto
  enable_webhook           = var.ci_runner_connection_available
}
