variable "hostname" {
  description = "Public hostname of the platform (certificate subject), e.g. api.dev.expense.example.com."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.hostname))
    error_message = "hostname must be a lowercase fully qualified domain name without wildcard."
  }
}

variable "subject_alternative_names" {
  description = "Additional names on the certificate (no wildcards)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for n in var.subject_alternative_names : !strcontains(n, "*")])
    error_message = "subject_alternative_names must not contain wildcards."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of the hostname. Set = validation records are created and apply waits for issuance; null = create the records from the certificate_validation_records output yourself."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
