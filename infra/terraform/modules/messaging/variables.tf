variable "name" {
  description = "Name prefix (e.g. \"expense-dev\"): topic <name>-events, per consumer queue <name>-<consumer> and DLQ <name>-<consumer>-dlq."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,50}$", var.name))
    error_message = "name must be 1-50 letters, digits, hyphens or underscores."
  }
}

variable "consumers" {
  description = "Services that consume the domain events. Each gets its own queue subscribed to the topic (raw delivery), its own DLQ and queue policy, and reads them as SQS_QUEUE_URL/SQS_DLQ_URL."
  type        = set(string)
  default     = ["notifications", "receipts"]

  validation {
    condition     = length(var.consumers) > 0
    error_message = "consumers must name at least one service."
  }

  validation {
    # <name> (<= 50) + "-" + consumer + "-dlq" must fit SQS's 80 characters.
    condition     = alltrue([for c in var.consumers : can(regex("^[a-z][a-z0-9-]{0,24}$", c))])
    error_message = "each consumer must be 1-25 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays invisible to other receivers of the same queue; must exceed the time a consumer needs to handle one event (e.g. send one email)."
  type        = number
  default     = 60

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long each consumer queue keeps a message."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600."
  }
}

variable "dlq_message_retention_seconds" {
  description = "How long each DLQ keeps a message (the maximum, 14 days, gives time to investigate and redrive)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be between 60 and 1209600."
  }
}

variable "max_receive_count" {
  description = "Receives after which a message moves to its queue's DLQ."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "enable_redrive_allow_policy" {
  description = "Restrict each DLQ to its own consumer's queue (redrive allow policy). false only under moto, which never stores it."
  type        = bool
  default     = true
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
