variable "name" {
  description = "Name of the EKS cluster, also the prefix of its IAM roles and KMS alias (e.g. \"expense-dev\")."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,99}$", var.name))
    error_message = "name must start with a letter and hold at most 100 letters, digits or hyphens."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane (Auto Mode nodes follow it), e.g. \"1.35\". Keep it in EKS standard support: docs/deploying.md, \"Kubernetes versions and upgrades\"."
  type        = string
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.35."
  }
}

variable "subnet_ids" {
  description = "Private subnet IDs (at least two AZs) for the control-plane ENIs and the nodes."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint. Empty = the API endpoint is private only (reachable from the VPC, VPN or a bastion)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid IPv4 CIDRs, and 0.0.0.0/0 is refused: list the operator and CI egress ranges."
  }
}

variable "enabled_log_types" {
  description = "Control-plane log types sent to CloudWatch Logs."
  type        = list(string)
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = alltrue([for t in var.enabled_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "enabled_log_types may only hold api, audit, authenticator, controllerManager and scheduler."
  }
}

variable "control_plane_log_group_name" {
  description = "Name of the pre-created control-plane log group; must be /aws/eks/<name>/cluster (checked, and orders the group before the cluster)."
  type        = string
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the secrets KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "enable_access_config" {
  description = "Set access_config (authentication mode API = EKS access entries, creator is admin). false only under moto, which does not store it."
  type        = bool
  default     = true
}

variable "admin_principal_arns" {
  description = "IAM roles/users granted cluster-admin through EKS access entries, label => ARN (static labels keep for_each plannable): the CI deploy role and operators. The identity that creates the cluster is admin anyway; listing it again fails the apply (its entry exists)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for a in values(var.admin_principal_arns) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", a))])
    error_message = "admin_principal_arns must map labels to IAM role or user ARNs."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the cluster (the API endpoint's security group lives there)."
  type        = string
}

variable "api_client_security_group_ids" {
  description = "Security groups allowed to reach the private API endpoint on 443: label => security group ID (static labels keep for_each plannable), e.g. the CI runner's."
  type        = map(string)
  default     = {}
}

variable "enable_auto_mode" {
  description = "EKS Auto Mode: compute (node autoscaling), block storage and load balancing managed by EKS. false only under moto, which stores none of the three."
  type        = bool
  default     = true
}

variable "builtin_node_pools" {
  description = "Built-in Auto Mode node pools. system runs cluster add-ons; general-purpose anything without a pool of its own (the application runs on the pool k8s/cluster defines)."
  type        = list(string)
  default     = ["general-purpose", "system"]

  validation {
    condition     = alltrue([for p in var.builtin_node_pools : contains(["general-purpose", "system"], p)])
    error_message = "builtin_node_pools may only hold general-purpose and system."
  }
}

variable "enable_upgrade_policy" {
  description = "Set upgrade_policy (support_type). false only under moto, which does not store it."
  type        = bool
  default     = true
}

variable "support_type" {
  description = "STANDARD: the cluster is upgraded when its version leaves standard support. EXTENDED: it stays, at the extended-support hourly price."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "enable_addons" {
  description = "Manage the EKS add-ons listed in addons. false only under moto, which does not implement add-ons."
  type        = bool
  default     = true
}

variable "addons" {
  description = "EKS add-ons to manage: name => version (null = the default version for the cluster's Kubernetes version). Auto Mode runs CNI, kube-proxy and CoreDNS itself."
  type        = map(string)
  default = {
    "metrics-server" = null
  }
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary every IAM role of this module carries (null = none)."
  type        = string
  default     = null
}
