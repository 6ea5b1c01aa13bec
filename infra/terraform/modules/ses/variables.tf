variable "identity" {
  description = "SES identity to send from: a domain (recommended: DKIM, any address at it) or a single email address (needs a click in the verification mail)."
  type        = string

  validation {
    condition     = can(regex("^([^@\\s]+@)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.identity))
    error_message = "identity must be a lowercase domain name or an email address."
  }
}

variable "mail_from" {
  description = "Sender address the notifications service uses (MAIL_FROM); must be the identity itself or an address at the identity's domain."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+$", var.mail_from))
    error_message = "mail_from must be an email address."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone that serves the identity's domain. Set = the three DKIM CNAMEs are created; null = create them at your DNS provider from the dkim_records output."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
