variable "name" {
  description = "Name of the EKS cluster, also the prefix of its IAM roles and KMS alias (e.g. \"expense-dev\")."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,99}$", var.name))
    error_message = "name must start with a letter and hold at most 100 letters, digits or hyphens."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the node group, e.g. \"1.33\"."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.33."
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

variable "node_instance_types" {
  description = "Instance types of the managed node group (several types improve Spot availability)."
  type        = list(string)
  default     = ["t3.large"]

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types must name at least one instance type."
  }
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_ami_type" {
  description = "AMI type of the nodes."
  type        = string
  default     = "AL2023_x86_64_STANDARD"

  validation {
    condition     = can(regex("^(AL2023|BOTTLEROCKET)_", var.node_ami_type))
    error_message = "node_ami_type must be an AL2023_* or BOTTLEROCKET_* AMI type (AL2 is end of life)."
  }
}

variable "node_disk_size" {
  description = "Root volume size of each node in GiB."
  type        = number
  default     = 40

  validation {
    condition     = var.node_disk_size >= 20 && var.node_disk_size <= 1000
    error_message = "node_disk_size must be between 20 and 1000 GiB."
  }
}

variable "node_metadata_hop_limit" {
  description = "IMDSv2 PUT response hop limit. 1 keeps pods (non-hostNetwork) away from the node role."
  type        = number
  default     = 1

  validation {
    condition     = var.node_metadata_hop_limit >= 1 && var.node_metadata_hop_limit <= 2
    error_message = "node_metadata_hop_limit must be 1 or 2."
  }
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
  default     = 2

  validation {
    condition     = var.node_min_size >= 1
    error_message = "node_min_size must be at least 1."
  }
}

variable "node_max_size" {
  description = "Maximum number of nodes."
  type        = number
  default     = 6

  validation {
    condition     = var.node_max_size >= 1 && var.node_max_size <= 100
    error_message = "node_max_size must be between 1 and 100."
  }
}

variable "node_desired_size" {
  description = "Initial number of nodes (ignored after creation: the autoscaler owns it)."
  type        = number
  default     = 2

  validation {
    condition     = var.node_desired_size >= 1
    error_message = "node_desired_size must be at least 1."
  }
}

variable "enable_node_group_update_config" {
  description = "Set update_config (max 33 % unavailable during node group updates). false only under moto, which drops it."
  type        = bool
  default     = true
}

variable "enable_access_config" {
  description = "Set access_config (authentication mode API = EKS access entries, creator is admin). false only under moto, which does not store it."
  type        = bool
  default     = true
}

variable "enable_addons" {
  description = "Manage the EKS add-ons listed in addons. false only under moto, which does not implement add-ons."
  type        = bool
  default     = true
}

variable "addons" {
  description = "EKS add-ons to manage: name => version (null = the default version for the cluster's Kubernetes version)."
  type        = map(string)
  default = {
    "vpc-cni"    = null
    "kube-proxy" = null
    "coredns"    = null
  }
}

variable "admin_principal_arns" {
  description = "IAM role/user ARNs granted cluster-admin through EKS access entries (CI deploy role, operators). The identity that creates the cluster is admin anyway."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", a))])
    error_message = "admin_principal_arns must be IAM role or user ARNs."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
