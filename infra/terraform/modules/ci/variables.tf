variable "name" {
  description = "Name prefix of the environment's resources (e.g. \"expense-dev\"); the deploy role may only manage IAM roles and policies with this prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "env" {
  description = "Environment name (dev, prod): the Terraform state key <env>/terraform.tfstate and the Secrets Manager prefix expense/<env>/."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.env))
    error_message = "env must be 2-16 lowercase letters or digits."
  }
}

variable "github_repository" {
  description = "The GitHub repository whose workflows may assume the deploy role, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be owner/name, e.g. example-org/expense-tracker."
  }
}

variable "github_branch" {
  description = "The only branch whose workflow runs may assume the deploy role."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.github_branch)) && !strcontains(var.github_branch, "*")
    error_message = "github_branch must be one branch name, without wildcards."
  }
}

variable "github_environments" {
  description = "The GitHub environments (Settings > Environments) whose jobs may assume the deploy role."
  type        = list(string)

  validation {
    condition     = length(var.github_environments) > 0 && alltrue([for e in var.github_environments : can(regex("^[A-Za-z0-9._-]+$", e))])
    error_message = "github_environments must name at least one environment, without wildcards."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's IAM OIDC provider for token.actions.githubusercontent.com. An account holds it once: set false in the second environment of a shared account (it is then looked up)."
  type        = bool
  default     = true
}

variable "state_bucket" {
  description = "The Terraform state bucket `cargo xtask bootstrap` made (expense-tfstate-<account>-<env>)."
  type        = string
}

variable "state_lock_table" {
  description = "The Terraform lock table `cargo xtask bootstrap` made (expense-tflocks-<env>)."
  type        = string
}

variable "cluster_name" {
  description = "The EKS cluster the deploy role deploys to (DescribeCluster, and its cluster-admin access entry)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "The environment's image repository: the deploy role pushes to it and pulls from it."
  type        = string
}

variable "promotion_source_repository_arns" {
  description = "Repositories the deploy role may pull from to promote an image (prod: dev's repository). Empty in dev."
  type        = list(string)
  default     = []
}

variable "route53_zone_ids" {
  description = "Hosted zones whose records Terraform manages (certificate validation, DKIM). Empty = none."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
