################################################################################
# Test switches
################################################################################

variable "moto" {
  description = "Apply against a moto server (the test suite): test credentials, and the few pieces moto cannot do are switched off (see docs/operations.md). Never true against AWS."
  type        = bool
  default     = false

  validation {
    condition     = !var.moto || (var.aws_endpoint != null && var.aws_endpoint != "")
    error_message = "moto = true needs aws_endpoint (e.g. http://127.0.0.1:5055)."
  }
}

variable "aws_endpoint" {
  description = "Send every AWS API call to this endpoint (the moto server, e.g. http://127.0.0.1:5055). null/empty = the real AWS endpoints."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint == null || var.aws_endpoint == "" || can(regex("^https?://[^/]+/?$", coalesce(var.aws_endpoint, "x")))
    error_message = "aws_endpoint must be an http(s)://host[:port] URL."
  }
}

################################################################################
# Placement and names
################################################################################

variable "env" {
  description = "The environment, dev or prod: names, tags and state follow it. Set in its variable file (envs/<env>.tfvars, which also holds every per-environment setting below that has no default)."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like eu-west-1."
  }
}

variable "availability_zones" {
  description = "The three availability zones to use, by name. Empty = <region>a, <region>b, <region>c."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == 3
    error_message = "availability_zones must be empty or list exactly three zones."
  }
}

variable "hostname" {
  description = "Public hostname of the API (ACM certificate, CORS origin), e.g. api.dev.expense.example.com (dev), api.expense.example.com (prod)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.hostname))
    error_message = "hostname must be a lowercase fully qualified domain name."
  }
}

variable "mail_from" {
  description = "Sender address of the notification mails (MAIL_FROM), e.g. no-reply@dev.expense.example.com (dev), no-reply@expense.example.com (prod)."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.mail_from))
    error_message = "mail_from must be an email address with a lowercase domain."
  }
}

variable "ses_identity" {
  description = "SES identity to verify: a domain or mail_from itself. null = the domain of mail_from."
  type        = string
  default     = null
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone serving hostname and the mail domain. Set = certificate validation and DKIM records are created; null = create them by hand from the outputs."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^[A-Z0-9]{1,32}$", coalesce(var.route53_zone_id, "Z")))
    error_message = "route53_zone_id must be a bare hosted zone ID such as Z0123456789ABCDEFGHIJ (without /hostedzone/)."
  }
}

################################################################################
# Network and cluster
################################################################################

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway (cheap) instead of one per AZ. false in prod: an AZ outage must not cut the other AZs off."
  type        = bool
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the cluster. 1.35 is in EKS standard support until 2027-03-27; upgrade one minor at a time (docs/deploying.md, \"Kubernetes versions and upgrades\")."
  type        = string
  default     = "1.35"
}

variable "eks_public_access_cidrs" {
  description = "CIDRs allowed to reach a public EKS API endpoint (e.g. an operator's egress /32 for a first deploy by hand). Empty = private endpoint only; CI deploys from its runner inside the VPC."
  type        = list(string)
  default     = []
}

variable "eks_admin_principal_arns" {
  description = "IAM roles/users given cluster-admin access entries (operators; the CI deploy role is added by itself). Never list the identity that created the cluster: EKS already made its entry, and a second one fails the apply."
  type        = list(string)
  default     = []
}

################################################################################
# CI: GitHub Actions identity and runner
################################################################################

variable "github_repository" {
  description = "The GitHub repository (owner/name) whose delivery workflow may assume this environment's deploy role and use its runner."
  type        = string
}

variable "github_branch" {
  description = "The only branch whose workflow runs may assume the deploy role."
  type        = string
  default     = "main"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider. An account holds it once: false in the second environment of a shared account."
  type        = bool
  default     = true
}

variable "image_promotion_source_repository_arn" {
  description = "prod only: the repository prod promotes images from (dev's). null = expense-dev/expense-server in this account and region."
  type        = string
  default     = null

  validation {
    condition     = var.env == "prod" || var.image_promotion_source_repository_arn == null
    error_message = "Only prod promotes images: image_promotion_source_repository_arn is for prod."
  }
}

variable "ci_runner_connection_available" {
  description = "Set true once the runner's GitHub connection is completed in the console (docs/operations.md, step 8): then the job webhook is created, and CI jobs start the runner."
  type        = bool
  default     = false
}

variable "ecr_pull_principal_arns" {
  description = "Deploy roles of other accounts that may pull from this environment's repository (prod's, when prod has its own account: it promotes the image that passed here)."
  type        = list(string)
  default     = []
}

################################################################################
# Database
################################################################################

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_allocated_storage" {
  description = "Initial RDS storage in GiB."
  type        = number
}

variable "db_max_allocated_storage" {
  description = "RDS storage autoscaling limit in GiB."
  type        = number
}

variable "db_multi_az" {
  description = "Multi-AZ standby."
  type        = bool
}

variable "db_backup_retention_days" {
  description = "Days of automated backups."
  type        = number
}

variable "db_deletion_protection" {
  description = "RDS deletion protection. true in prod. A restore from a snapshot replaces the instance: turn it off in an apply of its own first (docs/deploying.md, \"Restoring from an RDS snapshot\")."
  type        = bool
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the database is destroyed."
  type        = bool
}

variable "db_apply_immediately" {
  description = "Apply database modifications at once (true) or in the maintenance window (false)."
  type        = bool
}

variable "db_snapshot_identifier" {
  description = "Restore the database from this snapshot: the instance is replaced (its final snapshot is taken first unless db_skip_final_snapshot). Needs db_deletion_protection = false applied beforehand. null = keep the current one."
  type        = string
  default     = null
}

################################################################################
# Storage, registry, secrets, observability
################################################################################

variable "receipts_force_destroy" {
  description = "Let destroy empty the receipts bucket. true in dev (its data is disposable), false in prod: receipts are user data."
  type        = bool
}

variable "ecr_repository_name" {
  description = "Name of the image repository (per environment, so dev and prod never collide in one account)."
  type        = string
}

variable "ecr_force_delete" {
  description = "Let destroy delete the repository with its images."
  type        = bool
}

variable "secret_recovery_window_days" {
  description = "Recovery window of deleted secrets in days (0 in dev = immediate, so the env can be re-created under the same names)."
  type        = number
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period of the KMS keys after destroy."
  type        = number
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log groups in days."
  type        = number

  validation {
    condition     = var.env != "prod" || var.log_retention_days >= 365
    error_message = "prod keeps logs for at least 365 days."
  }
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

variable "alb_arn_suffixes" {
  description = "ALB ARN suffixes (app/<name>/<id>) to alarm on. Empty = every ALB tagged elbv2.k8s.aws/cluster=<cluster> (found at plan time)."
  type        = list(string)
  default     = []
}
