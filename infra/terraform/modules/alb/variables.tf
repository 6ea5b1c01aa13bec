variable "name" {
  description = "Name prefix of the controller's IAM role and policy (e.g. \"expense-dev\")."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,30}$", var.name))
    error_message = "name must be at most 30 IAM name characters (the suffix -aws-load-balancer-controller is added)."
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

variable "controller_namespace" {
  description = "Namespace of the controller's service account."
  type        = string
  default     = "kube-system"
}

variable "controller_service_account" {
  description = "Name of the controller's service account."
  type        = string
  default     = "aws-load-balancer-controller"
}

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
