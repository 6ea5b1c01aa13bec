variable "bucket_name" {
  description = "Name of the receipts bucket (globally unique; the envs use expense-<env>-receipts-<account id>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,49}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-51 lowercase letters, digits or hyphens (room is left for the -access-logs suffix)."
  }
}

variable "access_log_bucket_name" {
  description = "Name of the server access log bucket. null = <bucket_name>-access-logs."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", coalesce(var.access_log_bucket_name, "x")))
    error_message = "access_log_bucket_name must be a valid S3 bucket name."
  }
}

variable "force_destroy" {
  description = "Allow destroy to delete a non-empty bucket with all its object versions (dev only: receipts are user data)."
  type        = bool
  default     = false
}

variable "pending_tag_key" {
  description = "Object tag key the receipts service binds into presigned PUTs and removes once the upload is confirmed."
  type        = string
  default     = "expense-upload"

  validation {
    condition     = can(regex("^[A-Za-z0-9+./=:_@-]{1,128}$", var.pending_tag_key))
    error_message = "pending_tag_key must be a valid S3 object tag key."
  }
}

variable "pending_tag_value" {
  description = "Value of pending_tag_key that marks an upload as not yet confirmed."
  type        = string
  default     = "pending"
}

variable "pending_upload_expiration_days" {
  description = "Days after which an object still tagged as pending (an abandoned upload) is expired."
  type        = number
  default     = 1

  validation {
    condition     = var.pending_upload_expiration_days >= 1 && var.pending_upload_expiration_days <= 30
    error_message = "pending_upload_expiration_days must be between 1 and 30."
  }
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 1

  validation {
    condition     = var.abort_incomplete_multipart_days >= 1
    error_message = "abort_incomplete_multipart_days must be at least 1."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted receipt version is kept (undo window) before it is expired."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to PUT/GET through presigned URLs from a browser (e.g. https://expense.example.com). Empty = no CORS configuration (the CLI needs none)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https://[^*]+$", o))])
    error_message = "cors_allowed_origins must be https:// origins without wildcards."
  }
}

variable "cors_allowed_headers" {
  description = "Request headers a browser may send with a presigned PUT/GET."
  type        = list(string)
  default = [
    "content-type",
    "content-length",
    "content-md5",
    "x-amz-checksum-sha256",
    "x-amz-sdk-checksum-algorithm",
    "x-amz-tagging",
  ]
}

variable "access_log_retention_days" {
  description = "Days server access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 30
    error_message = "access_log_retention_days must be at least 30."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the bucket's KMS key is deleted after destroy."
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
