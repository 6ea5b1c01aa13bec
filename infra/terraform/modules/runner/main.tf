# A GitHub Actions runner inside the VPC, hosted by AWS CodeBuild: GitHub
# sends a workflow_job webhook, CodeBuild starts a fresh build container in
# the private subnets that registers as an ephemeral runner for that one job,
# runs it and is thrown away. The deploy job runs there because the EKS API
# endpoint is private (docs/deploying.md, "How CI reaches the cluster"). The
# runner holds no deploy permission of its own: the job assumes the deploy
# role through GitHub OIDC exactly as on a GitHub-hosted runner.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  project_name = "${var.name}-gha-runner"
  arn_prefix   = "arn:${data.aws_partition.current.partition}"
  log_group    = "/aws/codebuild/${local.project_name}"
}

resource "aws_security_group" "runner" {
  name        = local.project_name
  description = "GitHub Actions runner of ${var.name}: no ingress; HTTPS and DNS out."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = local.project_name })
}

# HTTPS to GitHub, the registries, the AWS APIs and the cluster endpoint.
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.runner.id
  description       = "HTTPS: GitHub, package registries, AWS APIs, the Kubernetes API"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "runner" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "runner" {
  name                 = local.project_name
  description          = "CodeBuild service role of the ${var.name} GitHub Actions runner: logs, its network interface, the GitHub connection. No deploy permissions."
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions_boundary

  tags = var.tags
}

data "aws_iam_policy_document" "runner" {
  #checkov:skip=CKV_AWS_356:The EC2 network-interface calls CodeBuild makes for a VPC build take no resource ARN; they are bounded by the subnets' ARNs and the CodeBuild service condition.
  #checkov:skip=CKV_AWS_111:ec2:CreateNetworkInterfacePermission is bounded by ec2:AuthorizedService and the runner's subnets.
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.runner.arn}:*"]
  }

  # What CodeBuild needs to place the build in the VPC.
  statement {
    sid = "VpcBuild"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "VpcBuildInterfacePermission"
    actions   = ["ec2:CreateNetworkInterfacePermission"]
    resources = ["${local.arn_prefix}:ec2:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:network-interface/*"]

    condition {
      test     = "StringEquals"
      variable = "ec2:AuthorizedService"
      values   = ["codebuild.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "ec2:Subnet"
      values   = [for s in var.subnet_ids : "${local.arn_prefix}:ec2:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:subnet/${s}"]
    }
  }

  dynamic "statement" {
    for_each = var.enable_github_connection ? [1] : []

    content {
      sid       = "GitHubConnection"
      actions   = ["codeconnections:GetConnectionToken", "codeconnections:GetConnection", "codestar-connections:GetConnectionToken", "codestar-connections:GetConnection", "codestar-connections:UseConnection", "codeconnections:UseConnection"]
      resources = [aws_codestarconnections_connection.github[0].arn]
    }
  }
}

resource "aws_iam_role_policy" "runner" {
  name   = "runner"
  role   = aws_iam_role.runner.id
  policy = data.aws_iam_policy_document.runner.json
}

# Starts PENDING; an administrator completes the GitHub handshake once
# (docs/operations.md, "From an empty account", step 6).
resource "aws_codestarconnections_connection" "github" {
  count = var.enable_github_connection ? 1 : 0

  name          = substr("${var.name}-github", 0, 32)
  provider_type = "GitHub"

  tags = var.tags
}

resource "aws_codebuild_project" "runner" {
  #checkov:skip=CKV_AWS_147:The runner keeps no build artifacts or cache to encrypt with a customer key: each job's container is discarded.
  name               = local.project_name
  description        = "Ephemeral GitHub Actions runner of ${var.github_repository} inside the ${var.name} VPC."
  service_role       = aws_iam_role.runner.arn
  build_timeout      = 60
  queued_timeout     = 60
  project_visibility = "PRIVATE"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    type                        = "LINUX_CONTAINER"
    compute_type                = var.compute_type
    image                       = var.image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = false
  }

  source {
    type            = "GITHUB"
    location        = "https://github.com/${var.github_repository}.git"
    git_clone_depth = 1

    dynamic "auth" {
      for_each = var.enable_github_connection ? [1] : []

      content {
        type     = "CODECONNECTIONS"
        resource = aws_codestarconnections_connection.github[0].arn
      }
    }
  }

  vpc_config {
    vpc_id             = var.vpc_id
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.runner.id]
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.runner.name
      status     = "ENABLED"
    }
  }

  tags = var.tags
}

# Every queued job of the repository that names this runner's label starts
# one. A job of a pull request could name it too: it would run in the VPC but
# get no AWS identity to deploy with (the deploy role trusts only jobs of the
# environments on the main branch, module ci), and the runner's own role can
# only write its logs and place its network interface.
resource "aws_codebuild_webhook" "runner" {
  count = var.enable_github_connection && var.enable_webhook ? 1 : 0

  project_name = aws_codebuild_project.runner.name
  build_type   = "BUILD"

  filter_group {
    filter {
      type    = "EVENT"
      pattern = "WORKFLOW_JOB_QUEUED"
    }
  }
}
