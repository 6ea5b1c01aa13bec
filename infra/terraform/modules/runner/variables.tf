variable "name" {
  description = "Name prefix (e.g. \"expense-dev\"): the CodeBuild project is <name>-gha-runner, and GitHub jobs select it with runs-on: codebuild-<name>-gha-runner-<run id>-<attempt>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "github_repository" {
  description = "The repository whose workflow jobs this runner takes, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "vpc_id" {
  description = "VPC the runner's network interface is placed in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the runner (egress through the NAT gateways)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids must list at least one private subnet."
  }
}

variable "compute_type" {
  description = "CodeBuild compute type of the runner (BUILD_GENERAL1_MEDIUM: 4 vCPU, 7 GiB; enough to build xtask)."
  type        = string
  default     = "BUILD_GENERAL1_MEDIUM"

  validation {
    condition     = can(regex("^BUILD_GENERAL1_(SMALL|MEDIUM|LARGE|XLARGE|2XLARGE)$", var.compute_type))
    error_message = "compute_type must be a BUILD_GENERAL1_* Linux compute type."
  }
}

variable "image" {
  description = "CodeBuild image the job steps run in (Ubuntu, as the GitHub-hosted ubuntu runners)."
  type        = string
  default     = "aws/codebuild/standard:7.0"
}

variable "log_retention_days" {
  description = "Retention of the runner's CloudWatch log group."
  type        = number
  default     = 30
}

variable "log_kms_key_arn" {
  description = "KMS key of the runner's log group (null = CloudWatch's own encryption)."
  type        = string
  default     = null
}

variable "enable_github_connection" {
  description = "Create the CodeConnections connection to GitHub and the job webhook. false only under moto, which implements neither."
  type        = bool
  default     = true
}

variable "enable_webhook" {
  description = "Create the job webhook. CodeBuild can only create it once the GitHub connection is AVAILABLE (completed in the console), so the env turns it on afterwards."
  type        = bool
  default     = false
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary the runner's service role carries (null = none)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
