data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  log_exports = ["postgresql", "upgrade"]

  # TLS only, slow-query and DDL logging. rds.force_ssl is also the PG 15
  # default, stated here so nobody turns it off by accident.
  parameters = [
    { name = "rds.force_ssl", value = "1", apply_method = "pending-reboot" },
    { name = "log_min_duration_statement", value = tostring(var.log_min_duration_statement_ms), apply_method = "immediate" },
    { name = "log_statement", value = "ddl", apply_method = "immediate" },
    { name = "log_connections", value = "1", apply_method = "immediate" },
    { name = "log_disconnections", value = "1", apply_method = "immediate" },
    { name = "log_lock_waits", value = "1", apply_method = "immediate" },
  ]
}

################################################################################
# KMS key: storage, Performance Insights and the managed master secret
################################################################################

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:KMS key policy, not an identity policy: Resource "*" means this key only, and key administration must stay with the account root.
  #checkov:skip=CKV_AWS_111:KMS key policy, not an identity policy: Resource "*" means this key only; service statements are bound by SourceArn/SourceAccount or encryption context.
  #checkov:skip=CKV_AWS_356:KMS key policy, not an identity policy: Resource "*" is the only valid resource in a key policy (it means this key).
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "RDS ${var.identifier}: storage, snapshots, Performance Insights and the master user secret."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.identifier}"
  target_key_id = aws_kms_key.this.key_id
}

################################################################################
# Network
################################################################################

resource "aws_db_subnet_group" "this" {
  name        = var.identifier
  description = "Private subnets of ${var.identifier}."
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.identifier}-db"
  description = "Postgres ${var.identifier}: ingress on ${var.port} from the listed security groups only."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.identifier}-db" })
}

resource "aws_vpc_security_group_ingress_rule" "from_sg" {
  for_each = var.allowed_security_group_ids

  security_group_id            = aws_security_group.this.id
  description                  = "Postgres from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = each.value

  tags = var.tags
}

################################################################################
# Parameter group
################################################################################

resource "aws_db_parameter_group" "this" {
  name        = var.identifier
  family      = "postgres${split(".", var.engine_version)[0]}"
  description = "Postgres ${var.engine_version} settings of ${var.identifier}."

  # moto never stores parameters (they show up as added on every plan), so
  # the env switches them off under moto only. (Written as "== false" so
  # that checkov, which cannot evaluate the env's switch, renders the
  # production branch and sees rds.force_ssl.)
  dynamic "parameter" {
    for_each = var.enable_parameters == false ? [] : local.parameters

    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Enhanced monitoring role
################################################################################

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name               = "${var.identifier}-rds-monitoring"
  description        = "Enhanced monitoring of RDS ${var.identifier}."
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json

  permissions_boundary = var.permissions_boundary

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

################################################################################
# Instance
################################################################################

resource "aws_db_instance" "this" {
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  db_name        = var.db_name
  port           = var.port

  # The master password is generated by RDS and kept in Secrets Manager
  # (rotated by RDS); it never appears in the Terraform state or outputs.
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.this.arn

  snapshot_identifier = var.snapshot_identifier

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  parameter_group_name   = aws_db_parameter_group.this.name

  iam_database_authentication_enabled = true

  backup_retention_period  = var.backup_retention_period
  backup_window            = "02:00-03:00"
  maintenance_window       = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot    = true
  delete_automated_backups = false
  deletion_protection      = var.deletion_protection
  skip_final_snapshot      = var.skip_final_snapshot
  # Named after the instance's creation time, which the state keeps: a
  # restore replaces the instance, and the replaced one's final snapshot then
  # never collides with the one an earlier restore left.
  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.identifier}-final-${formatdate("YYYYMMDD-hhmmss", timestamp())}"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = var.apply_immediately

  enabled_cloudwatch_logs_exports = local.log_exports

  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_kms_key_id       = var.performance_insights_enabled ? aws_kms_key.this.arn : null
  performance_insights_retention_period = var.performance_insights_enabled ? 7 : null

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null

  tags = var.tags

  lifecycle {
    # The final snapshot's name is fixed when the instance is created (see
    # above); later plans must not rename it to the time of the plan.
    ignore_changes = [final_snapshot_identifier]

    # The log groups are created beforehand by the observability module
    # (retention, KMS); referencing them also orders them before the
    # instance, so RDS never creates them with infinite retention.
    precondition {
      condition = alltrue([
        for t in local.log_exports : contains(var.log_group_names, "/aws/rds/instance/${var.identifier}/${t}")
      ])
      error_message = "log_group_names must contain /aws/rds/instance/<identifier>/postgresql and .../upgrade."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.monitoring]
}
