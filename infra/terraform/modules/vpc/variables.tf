variable "name" {
  description = "Name prefix of every resource, e.g. \"expense-dev\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC. A /16 leaves room for three /19 private subnets (pods get VPC addresses) and three /22 public ones."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block must be a valid IPv4 CIDR no smaller than /20."
  }
}

variable "azs" {
  description = "Availability zones to spread the subnets over, one public and one private subnet per zone."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 6 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 2 to 6 distinct availability zones (three in the standard layout)."
  }
}

variable "private_subnet_cidrs" {
  description = "Explicit CIDRs of the private subnets, one per AZ in the order of azs. Empty = carved from cidr_block (/19 each)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "private_subnet_cidrs must hold valid IPv4 CIDRs."
  }
}

variable "public_subnet_cidrs" {
  description = "Explicit CIDRs of the public subnets, one per AZ in the order of azs. Empty = carved from the top of cidr_block (/22 each)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "public_subnet_cidrs must hold valid IPv4 CIDRs."
  }
}

variable "single_nat_gateway" {
  description = "true = one NAT gateway shared by all AZs (cheap, for dev); false = one NAT gateway per AZ (no cross-AZ dependency, for prod)."
  type        = bool
  default     = false
}

variable "cluster_name" {
  description = "EKS cluster name added to the subnets as kubernetes.io/cluster/<name> = shared. Empty = no cluster tag."
  type        = string
  default     = ""
}

variable "flow_log_group_arn" {
  description = "ARN of the CloudWatch log group that receives the VPC flow logs (created by the observability module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:logs:", var.flow_log_group_arn))
    error_message = "flow_log_group_arn must be a CloudWatch Logs log group ARN."
  }
}

variable "flow_log_traffic_type" {
  description = "Which traffic the flow logs record: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "flow_log_max_aggregation_interval" {
  description = "Flow log aggregation interval in seconds: 60 or 600."
  type        = number
  default     = 600

  validation {
    condition     = contains([60, 600], var.flow_log_max_aggregation_interval)
    error_message = "flow_log_max_aggregation_interval must be 60 or 600."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the flow-log role carries (null = none)."
  type        = string
  default     = null
}
