variable "repository_name" {
  description = "Name of the ECR repository of the single server image."
  type        = string
  default     = "expense-server"

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.repository_name))
    error_message = "repository_name must be a valid ECR repository name (lowercase, digits, . _ - /)."
  }
}

variable "force_delete" {
  description = "Let destroy delete the repository even if it still holds images (dev only)."
  type        = bool
  default     = false
}

variable "untagged_expiration_days" {
  description = "Days after which untagged images expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiration_days >= 1
    error_message = "untagged_expiration_days must be at least 1."
  }
}

variable "max_tagged_images" {
  description = "How many tagged images to keep; older ones expire. Keep enough to roll back several releases."
  type        = number
  default     = 100

  validation {
    condition     = var.max_tagged_images >= 10
    error_message = "max_tagged_images must be at least 10 (rollback targets)."
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

variable "pull_principal_arns" {
  description = "IAM roles of other accounts that may pull from this repository (prod's deploy role promoting from dev). Empty = no repository policy."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.pull_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "pull_principal_arns must be IAM role ARNs."
  }
}
