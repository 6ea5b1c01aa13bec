variable "name" {
  description = "Role name prefix; roles are <name>-<service account> (e.g. expense-dev-receipts)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,50}$", var.name))
    error_message = "name must be at most 50 IAM name characters."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/...)."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the service accounts auth, expenses, receipts, notifications, migrate and monthly-summary."
  type        = string
  default     = "expense"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label."
  }
}

variable "logging_namespace" {
  description = "Kubernetes namespace of the fluent-bit service account."
  type        = string
  default     = "logging"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.logging_namespace))
    error_message = "logging_namespace must be a DNS-1123 label."
  }
}

variable "rds_master_secret_arn" {
  description = "ARN of the RDS-managed master user secret (read by every role that talks to Postgres)."
  type        = string
}

variable "rds_kms_key_arn" {
  description = "ARN of the KMS key encrypting the RDS master secret."
  type        = string
}

variable "jwt_secret_arn" {
  description = "ARN of the JWT signing key secret (auth only)."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "ARN of the KMS key encrypting the JWT signing key secret."
  type        = string
}

variable "sns_topic_arn" {
  description = "ARN of the domain-event topic (expenses and auth publish)."
  type        = string
}

variable "event_queues" {
  description = "The event queue and its DLQ of each consuming service account, keyed by service account (e.g. notifications, receipts, expenses): that role may receive/delete/change visibility on its queue and send to its DLQ, nothing on the others'."
  type = map(object({
    queue_arn = string
    dlq_arn   = string
  }))

  validation {
    condition     = alltrue([for sa in keys(var.event_queues) : contains(["auth", "expenses", "receipts", "notifications"], sa)])
    error_message = "event_queues keys must be service accounts of the application: auth, expenses, receipts or notifications."
  }
}

variable "messaging_kms_key_arn" {
  description = "ARN of the KMS key of the topic and the queues."
  type        = string
}

variable "ses_identity_arn" {
  description = "ARN of the SES identity the notifications service sends from."
  type        = string
}

variable "mail_from" {
  description = "The only From address the notifications role may send with (ses:FromAddress condition)."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+$", var.mail_from))
    error_message = "mail_from must be an email address."
  }
}

variable "receipts_bucket_arn" {
  description = "ARN of the receipts bucket."
  type        = string
}

variable "receipts_kms_key_arn" {
  description = "ARN of the receipts bucket's KMS key."
  type        = string
}

variable "receipts_prefix" {
  description = "Key prefix the receipts service may touch (objects are users/{user}/receipts/{id})."
  type        = string
  default     = "users/"

  validation {
    condition     = can(regex("^[a-zA-Z0-9!_.*'()-]+/?$", var.receipts_prefix)) && !strcontains(var.receipts_prefix, "*")
    error_message = "receipts_prefix must be a single path segment such as users/ (no wildcards)."
  }
}

variable "services_log_group_arn" {
  description = "ARN of the CloudWatch log group fluent-bit ships the services' logs to."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary every IRSA role carries (null = none)."
  type        = string
  default     = null
}
