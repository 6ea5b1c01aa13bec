terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Partial configuration: bucket, key, region and dynamodb_table come from
  # the backend config file `cargo xtask provision` writes from the names
  # `cargo xtask bootstrap` created (expense-tfstate-<account>-<env>,
  # expense-tflocks-<env>, <env>/terraform.tfstate).
  backend "s3" {}
}
