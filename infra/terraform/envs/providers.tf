locals {
  # Set whenever an endpoint override is given (moto in the test suite).
  use_custom_endpoint = var.aws_endpoint != null && var.aws_endpoint != ""
}

provider "aws" {
  region = var.region

  # Under moto: fixed test credentials, no instance-metadata or credential
  # checks, path-style S3 addressing. On AWS all of these stay at their
  # defaults and credentials come from the usual chain.
  access_key                  = var.moto ? "testing" : null
  secret_key                  = var.moto ? "testing" : null
  skip_credentials_validation = var.moto
  skip_metadata_api_check     = var.moto
  skip_region_validation      = var.moto
  s3_use_path_style           = var.moto

  # false also under moto: with true, rules that reference security groups
  # drift on every plan. moto answers GetCallerIdentity (123456789012).
  skip_requesting_account_id = false

  dynamic "endpoints" {
    for_each = local.use_custom_endpoint ? [var.aws_endpoint] : []

    content {
      acm            = endpoints.value
      cloudwatch     = endpoints.value
      cloudwatchlogs = endpoints.value
      codebuild      = endpoints.value
      dynamodb       = endpoints.value
      ec2            = endpoints.value
      ecr            = endpoints.value
      eks            = endpoints.value
      elbv2          = endpoints.value
      iam            = endpoints.value
      kms            = endpoints.value
      rds            = endpoints.value
      route53        = endpoints.value
      s3             = endpoints.value
      secretsmanager = endpoints.value
      ses            = endpoints.value
      sesv2          = endpoints.value
      sns            = endpoints.value
      sqs            = endpoints.value
      sts            = endpoints.value
    }
  }

  # moto mishandles provider-wide tags in two places (it copies a launch
  # template's own tags into the template data, and returns none for SES v2
  # identities), which shows as drift on every plan: no default tags there.
  dynamic "default_tags" {
    for_each = var.moto ? [] : [1]

    content {
      tags = {
        Project     = "expense"
        Environment = local.env
        ManagedBy   = "terraform"
        # The value from when each environment had its own folder: kept, so
        # that no apply re-tags the whole estate. It names envs/<env>.tfvars.
        Stack = "infra/terraform/envs/${local.env}"
      }
    }
  }
}
