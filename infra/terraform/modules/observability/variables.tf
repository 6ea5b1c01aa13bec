variable "name" {
  description = "Name prefix (e.g. \"expense-dev\"); the services' log group is /<name with / for ->/services, e.g. /expense/dev/services."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens."
  }
}

variable "cluster_name" {
  description = "EKS cluster name; its control-plane log group is /aws/eks/<cluster_name>/cluster."
  type        = string
}

variable "db_identifier" {
  description = "RDS instance identifier: names the /aws/rds/instance/<id>/... log groups and the RDS alarm dimension."
  type        = string
}

variable "dlq_names" {
  description = "Dead-letter queues to alarm on (one alarm each, <name>-<key>-dlq-not-empty), queue name keyed by consumer, e.g. { notifications = \"expense-dev-notifications-dlq\" }."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.dlq_names) : can(regex("^[a-z][a-z0-9-]{0,24}$", k))])
    error_message = "dlq_names keys must be consumer names: 1-25 lowercase letters, digits or hyphens."
  }
}

variable "alb_arn_suffixes" {
  description = "ARN suffixes (app/<name>/<id>) of the ALBs to alarm on. The ALB is created by the AWS Load Balancer Controller at deploy time, so this is empty on the first provision."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.alb_arn_suffixes : can(regex("^app/[^/]+/[0-9a-f]+$", s))])
    error_message = "alb_arn_suffixes must look like app/<name>/<id>."
  }
}

variable "log_retention_days" {
  description = "Retention of every log group in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ..., 365, 400, 545, 731, ...)."
  }
}

variable "alarm_emails" {
  description = "Email addresses subscribed to the alarm topic (each must confirm the subscription mail)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+$", e))])
    error_message = "alarm_emails must be email addresses."
  }
}

variable "alb_5xx_rate_threshold_percent" {
  description = "Share of 5xx answers (ALB + targets) in percent above which the ALB alarm fires."
  type        = number
  default     = 5

  validation {
    condition     = var.alb_5xx_rate_threshold_percent > 0 && var.alb_5xx_rate_threshold_percent <= 100
    error_message = "alb_5xx_rate_threshold_percent must be in (0, 100]."
  }
}

variable "alb_p95_latency_threshold_seconds" {
  description = "p95 target response time in seconds above which the latency alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.alb_p95_latency_threshold_seconds > 0
    error_message = "alb_p95_latency_threshold_seconds must be positive."
  }
}

variable "rds_cpu_threshold_percent" {
  description = "Average RDS CPU in percent above which the CPU alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.rds_cpu_threshold_percent > 0 && var.rds_cpu_threshold_percent <= 100
    error_message = "rds_cpu_threshold_percent must be in (0, 100]."
  }
}

variable "rds_free_storage_threshold_gib" {
  description = "Free RDS storage in GiB below which the storage alarm fires."
  type        = number
  default     = 5

  validation {
    condition     = var.rds_free_storage_threshold_gib > 0
    error_message = "rds_free_storage_threshold_gib must be positive."
  }
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
