variable "identifier" {
  description = "RDS instance identifier, also the prefix of its subnet group, security group, parameter group and KMS alias (e.g. \"expense-dev-postgres\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier)) && !can(regex("--|-$", var.identifier))
    error_message = "identifier must be 1-63 lowercase letters, digits or hyphens, start with a letter, and hold no double or trailing hyphen."
  }
}

variable "engine_version" {
  description = "Postgres version: a major (\"15\", RDS picks the newest minor) or an exact minor (\"15.8\")."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "The platform runs Postgres 15: engine_version must be \"15\" or \"15.<minor>\"."
  }
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.", var.instance_class))
    error_message = "instance_class must start with \"db.\"."
  }
}

variable "db_name" {
  description = "Name of the database created at launch (one schema per service lives in it)."
  type        = string
  default     = "expense"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must be a lowercase Postgres identifier."
  }
}

variable "master_username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "expense_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "admin", "rdsadmin"], var.master_username)
    error_message = "master_username must be a lowercase identifier of at most 16 characters and not a reserved name."
  }
}

variable "port" {
  description = "Port Postgres listens on."
  type        = number
  default     = 5432

  validation {
    condition     = var.port >= 1150 && var.port <= 65535
    error_message = "port must be between 1150 and 65535."
  }
}

variable "vpc_id" {
  description = "VPC of the database security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnet IDs (at least two AZs) of the DB subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "A DB subnet group needs subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on the Postgres port: label => security group ID (static labels keep for_each plannable)."
  type        = map(string)
  default     = {}
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Upper bound for storage autoscaling in GiB (must exceed allocated_storage)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage >= 20 && var.max_allocated_storage <= 65536
    error_message = "max_allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second AZ (true in prod)."
  type        = bool
  default     = true
}

variable "backup_retention_period" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35
    error_message = "backup_retention_period must be between 7 and 35 days."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (true in prod; destroy then needs it set to false first)."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy (dev only). When false the snapshot is named <identifier>-final-<UTC creation time of the instance>."
  type        = bool
  default     = false
}

variable "snapshot_identifier" {
  description = "Create the instance from this snapshot (restore). null = empty database. Changing it replaces the instance."
  type        = string
  default     = null
}

variable "apply_immediately" {
  description = "Apply modifications now instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "monitoring_interval" {
  description = "Enhanced monitoring interval in seconds (0 disables it; the env uses 0 only under moto, which does not keep it)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "performance_insights_enabled" {
  description = "Enable Performance Insights (7 days, encrypted with the instance's key). false only under moto, which does not keep it."
  type        = bool
  default     = true
}

variable "log_min_duration_statement_ms" {
  description = "Log statements slower than this many milliseconds."
  type        = number
  default     = 500

  validation {
    condition     = var.log_min_duration_statement_ms >= -1
    error_message = "log_min_duration_statement_ms must be -1 (off) or more."
  }
}

variable "enable_parameters" {
  description = "Set the parameters of the parameter group (TLS only, query logging). false only under moto, which never stores them."
  type        = bool
  default     = true
}

variable "log_group_names" {
  description = "Names of the pre-created log groups for the exported logs: /aws/rds/instance/<identifier>/postgresql and /upgrade."
  type        = list(string)
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the enhanced-monitoring role carries (null = none)."
  type        = string
  default     = null
}
