variable "name" {
  description = "Name prefix of the KMS alias (e.g. \"expense-dev\")."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,200}$", var.name))
    error_message = "name must be letters, digits, slashes, hyphens or underscores."
  }
}

variable "secret_path_prefix" {
  description = "Path prefix of the secret names, e.g. \"expense/dev\" gives expense/dev/jwt-signing-key."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_+=.@-]{1,400}[a-zA-Z0-9]$", var.secret_path_prefix))
    error_message = "secret_path_prefix must use only characters allowed in Secrets Manager names and not end with a slash."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored. 0 deletes at once (dev, so a destroyed env can be re-created under the same name)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or between 7 and 30."
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
