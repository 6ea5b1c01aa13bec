data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  arn        = "arn:${local.partition}"

  github_oidc_host = "token.actions.githubusercontent.com"
  github_oidc_provider_arn = (var.create_github_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : data.aws_iam_openid_connect_provider.github[0].arn
  )

  # With the repository's subject template set to repo, context, ref (docs/
  # deploying.md, "The CI identity"), a job of GitHub environment E on branch
  # B presents exactly repo:<owner>/<name>:environment:E:ref:refs/heads/B.
  # Jobs of other repositories, branches, pull requests or environments
  # present something else and are refused.
  subjects = [
    for e in var.github_environments : "repo:${var.github_repository}:environment:${e}:ref:refs/heads/${var.github_branch}"
  ]

  role_prefix   = "${local.arn}:iam::${local.account_id}:role/${var.name}-"
  policy_prefix = "${local.arn}:iam::${local.account_id}:policy/${var.name}-"
}

################################################################################
# The account's GitHub Actions OIDC provider
################################################################################

# No thumbprint_list: IAM trusts token.actions.githubusercontent.com through
# its own CA library.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]

  tags = merge(var.tags, { Name = "github-actions" })
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1

  url = "https://${local.github_oidc_host}"
}

################################################################################
# The permissions boundary of every role the pipeline creates
################################################################################

# Every IAM role this environment's Terraform creates (IRSA, cluster, nodes,
# flow logs, RDS monitoring, the CI runner) carries this boundary, and the
# deploy role may create or change a role only with it. A role can therefore
# never administer IAM, whatever policy is put on it: the pipeline cannot
# mint itself a more powerful identity.
data "aws_iam_policy_document" "boundary" {
  #checkov:skip=CKV_AWS_107:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  #checkov:skip=CKV_AWS_108:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  #checkov:skip=CKV_AWS_109:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  #checkov:skip=CKV_AWS_110:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  #checkov:skip=CKV_AWS_111:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  #checkov:skip=CKV_AWS_356:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  #checkov:skip=CKV2_AWS_40:A permissions boundary only caps; the actions are granted by each role's own, reviewed policy.
  statement {
    sid         = "EverythingButIdentityAdministration"
    not_actions = ["iam:*", "organizations:*", "account:*"]
    resources   = ["*"]
  }

  # The IAM calls EKS Auto Mode (instance profiles of its nodes, passing the
  # node role) and the load balancer (service-linked role, server
  # certificates) make with the cluster role.
  statement {
    sid = "InstanceProfilesOfAutoModeNodes"
    actions = [
      "iam:AddRoleToInstanceProfile",
      "iam:CreateInstanceProfile",
      "iam:DeleteInstanceProfile",
      "iam:GetInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
      "iam:TagInstanceProfile",
    ]
    resources = ["${local.arn}:iam::${local.account_id}:instance-profile/eks*"]
  }

  statement {
    sid       = "PassOwnRoles"
    actions   = ["iam:PassRole", "iam:GetRole"]
    resources = ["${local.role_prefix}*"]
  }

  statement {
    sid = "ReadAndServiceLinkedRoles"
    actions = [
      "iam:CreateServiceLinkedRole",
      "iam:GetServerCertificate",
      "iam:ListInstanceProfiles",
      "iam:ListServerCertificates",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "boundary" {
  name        = "${var.name}-boundary"
  description = "Permissions boundary of every ${var.name} role: no identity administration."
  policy      = data.aws_iam_policy_document.boundary.json

  tags = var.tags
}

################################################################################
# The deploy role and its trust: this repository, its branch, its environments
################################################################################

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = local.subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "GitHub Actions of ${var.github_repository} (${join(", ", var.github_environments)} on ${var.github_branch}): provision, images, deploy."
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = {
    delivery       = aws_iam_policy.delivery.arn
    read           = aws_iam_policy.read.arn
    infrastructure = aws_iam_policy.infrastructure.arn
    identity       = aws_iam_policy.identity.arn
  }

  role       = aws_iam_role.deploy.name
  policy_arn = each.value
}

################################################################################
# Delivery: Terraform state, images, cluster access
################################################################################

data "aws_iam_policy_document" "delivery" {
  #checkov:skip=CKV_AWS_356:ecr:GetAuthorizationToken and sts:GetCallerIdentity take no resource.
  statement {
    sid       = "TerraformStateBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketVersioning"]
    resources = ["${local.arn}:s3:::${var.state_bucket}"]
  }

  statement {
    sid       = "TerraformStateObject"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${local.arn}:s3:::${var.state_bucket}/${var.env}/terraform.tfstate*"]
  }

  statement {
    sid     = "TerraformLock"
    actions = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    # Any region: the backend's region is bootstrap's, which need not be the estate's.
    resources = ["${local.arn}:dynamodb:*:${local.account_id}:table/${var.state_lock_table}"]
  }

  statement {
    sid       = "TokensWithoutResource"
    actions   = ["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"]
    resources = ["*"]
  }

  statement {
    sid = "PushAndPullOwnImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }

  dynamic "statement" {
    for_each = length(var.promotion_source_repository_arns) > 0 ? [1] : []

    content {
      sid = "PullImagesToPromote"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
      ]
      resources = var.promotion_source_repository_arns
    }
  }

  statement {
    sid       = "ClusterEndpoint"
    actions   = ["eks:DescribeCluster"]
    resources = ["${local.arn}:eks:${local.region}:${local.account_id}:cluster/${var.cluster_name}"]
  }
}

resource "aws_iam_policy" "delivery" {
  name        = "${var.name}-github-deploy-delivery"
  description = "Terraform state, image push/pull and cluster endpoint of ${var.name}."
  policy      = data.aws_iam_policy_document.delivery.json

  tags = var.tags
}

################################################################################
# Read: what terraform plan refreshes
################################################################################

data "aws_iam_policy_document" "read" {
  #checkov:skip=CKV_AWS_356:Describe/List/Get calls of a plan's refresh; most take no resource ARN, and none changes anything.
  statement {
    sid = "RefreshForPlan"
    actions = [
      "acm:DescribeCertificate",
      "acm:ListTagsForCertificate",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
      "codebuild:BatchGetProjects",
      "codeconnections:GetConnection",
      "codeconnections:ListTagsForResource",
      "codestar-connections:GetConnection",
      "codestar-connections:ListTagsForResource",
      "ec2:Describe*",
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRepositoryPolicy",
      "ecr:ListTagsForResource",
      "eks:Describe*",
      "eks:List*",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeTags",
      "iam:GetOpenIDConnectProvider",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListOpenIDConnectProviders",
      "iam:ListPolicyVersions",
      "iam:ListRolePolicies",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListAliases",
      "kms:ListResourceTags",
      "logs:DescribeLogGroups",
      "logs:ListTagsForResource",
      "rds:Describe*",
      "rds:ListTagsForResource",
      "route53:GetChange",
      "route53:GetHostedZone",
      "route53:ListResourceRecordSets",
      "route53:ListTagsForResource",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucket*",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "ses:GetEmailIdentity",
      "ses:ListTagsForResource",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:ListTagsForResource",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ListQueueTags",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "read" {
  name        = "${var.name}-github-deploy-read"
  description = "What a terraform plan of ${var.name} reads."
  policy      = data.aws_iam_policy_document.read.json

  tags = var.tags
}

################################################################################
# Infrastructure: writes, each on the environment's names
################################################################################

data "aws_iam_policy_document" "infrastructure" {
  #checkov:skip=CKV_AWS_355:EC2 networking, KMS CreateKey, ACM RequestCertificate and CodeConnections take no resource ARN before the resource exists; they are bounded by region or request tag instead.
  #checkov:skip=CKV_AWS_290:EC2 networking writes are bounded to the environment's region; everything else is bounded by the environment's names.
  statement {
    sid = "NetworkInTheRegion"
    actions = [
      "ec2:AllocateAddress",
      "ec2:AssociateRouteTable",
      "ec2:AttachInternetGateway",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:CreateFlowLogs",
      "ec2:CreateInternetGateway",
      "ec2:CreateNatGateway",
      "ec2:CreateRoute",
      "ec2:CreateRouteTable",
      "ec2:CreateSecurityGroup",
      "ec2:CreateSubnet",
      "ec2:CreateTags",
      "ec2:CreateVpc",
      "ec2:CreateVpcEndpoint",
      "ec2:DeleteFlowLogs",
      "ec2:DeleteInternetGateway",
      "ec2:DeleteNatGateway",
      "ec2:DeleteRoute",
      "ec2:DeleteRouteTable",
      "ec2:DeleteSecurityGroup",
      "ec2:DeleteSubnet",
      "ec2:DeleteTags",
      "ec2:DeleteVpc",
      "ec2:DeleteVpcEndpoints",
      "ec2:DetachInternetGateway",
      "ec2:DisassociateAddress",
      "ec2:DisassociateRouteTable",
      "ec2:ModifySecurityGroupRules",
      "ec2:ModifySubnetAttribute",
      "ec2:ModifyVpcAttribute",
      "ec2:ModifyVpcEndpoint",
      "ec2:ReleaseAddress",
      "ec2:ReplaceRoute",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  statement {
    sid     = "Cluster"
    actions = ["eks:*"]
    resources = [
      "${local.arn}:eks:${local.region}:${local.account_id}:cluster/${var.cluster_name}",
      "${local.arn}:eks:${local.region}:${local.account_id}:addon/${var.cluster_name}/*",
      "${local.arn}:eks:${local.region}:${local.account_id}:access-entry/${var.cluster_name}/*",
      "${local.arn}:eks:${local.region}:${local.account_id}:podidentityassociation/${var.cluster_name}/*",
    ]
  }

  statement {
    sid     = "Database"
    actions = ["rds:*"]
    resources = [
      "${local.arn}:rds:${local.region}:${local.account_id}:*:${var.name}-*",
      "${local.arn}:rds:${local.region}:${local.account_id}:og:default:*",
    ]
  }

  statement {
    sid       = "RestoreFromAnySnapshotOfTheAccount"
    actions   = ["rds:RestoreDBInstanceFromDBSnapshot", "rds:DescribeDBSnapshots"]
    resources = ["${local.arn}:rds:${local.region}:${local.account_id}:snapshot:*"]
  }

  statement {
    sid     = "Storage"
    actions = ["s3:*"]
    resources = [
      "${local.arn}:s3:::${var.name}-*",
      "${local.arn}:s3:::${var.name}-*/*",
    ]
  }

  # Buckets, not their contents: the pipeline may empty a bucket Terraform
  # destroys (force_destroy), but never read or write a receipt.
  statement {
    sid       = "NeverReadOrWriteObjects"
    effect    = "Deny"
    actions   = ["s3:GetObject*", "s3:PutObject*", "s3:RestoreObject", "s3:ReplicateObject"]
    resources = ["${local.arn}:s3:::${var.name}-*/*"]
  }

  statement {
    sid     = "Messaging"
    actions = ["sns:*", "sqs:*"]
    resources = [
      "${local.arn}:sns:${local.region}:${local.account_id}:${var.name}-*",
      "${local.arn}:sqs:${local.region}:${local.account_id}:${var.name}-*",
    ]
  }

  statement {
    sid     = "Secrets"
    actions = ["secretsmanager:*"]
    resources = [
      "${local.arn}:secretsmanager:${local.region}:${local.account_id}:secret:expense/${var.env}/*",
    ]
  }

  # The pipeline manages the secrets' containers, never their values: the JWT
  # signing key is put by an operator, the database password by RDS, and only
  # the services read them.
  statement {
    sid       = "NeverReadOrWriteSecretValues"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "secretsmanager:PutSecretValue"]
    resources = ["*"]
  }

  # RDS creates the managed master-user secret with the caller's permissions.
  statement {
    sid = "RdsManagedSecret"
    actions = [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:RotateSecret",
      "secretsmanager:TagResource",
    ]
    resources = ["${local.arn}:secretsmanager:${local.region}:${local.account_id}:secret:rds!*"]
  }

  statement {
    sid       = "CreateKeysTaggedForTheEnvironment"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [var.env]
    }
  }

  statement {
    sid = "KeysOfTheEnvironment"
    actions = [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:EnableKeyRotation",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
    ]
    resources = ["${local.arn}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [var.env]
    }
  }

  statement {
    sid     = "KeyAliases"
    actions = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [
      "${local.arn}:kms:${local.region}:${local.account_id}:alias/*${var.name}*",
      "${local.arn}:kms:${local.region}:${local.account_id}:key/*",
    ]
  }

  statement {
    sid     = "Logs"
    actions = ["logs:*"]
    resources = [
      "${local.arn}:logs:${local.region}:${local.account_id}:log-group:*${var.name}*",
      "${local.arn}:logs:${local.region}:${local.account_id}:log-group:/expense/${var.env}/*",
    ]
  }

  statement {
    sid       = "Alarms"
    actions   = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
    resources = ["${local.arn}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"]
  }

  statement {
    sid       = "Images"
    actions   = ["ecr:*"]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid       = "CertificateRequest"
    actions   = ["acm:RequestCertificate", "acm:AddTagsToCertificate", "acm:DeleteCertificate"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  dynamic "statement" {
    for_each = length(var.route53_zone_ids) > 0 ? [1] : []

    content {
      sid       = "DnsRecords"
      actions   = ["route53:ChangeResourceRecordSets"]
      resources = [for z in var.route53_zone_ids : "${local.arn}:route53:::hostedzone/${z}"]
    }
  }

  statement {
    sid       = "MailIdentity"
    actions   = ["ses:CreateEmailIdentity", "ses:DeleteEmailIdentity", "ses:PutEmailIdentity*", "ses:TagResource", "ses:UntagResource"]
    resources = ["${local.arn}:ses:${local.region}:${local.account_id}:identity/*"]
  }

  statement {
    sid       = "CiRunner"
    actions   = ["codebuild:CreateProject", "codebuild:UpdateProject", "codebuild:DeleteProject", "codebuild:CreateWebhook", "codebuild:UpdateWebhook", "codebuild:DeleteWebhook"]
    resources = ["${local.arn}:codebuild:${local.region}:${local.account_id}:project/${var.name}-*"]
  }

  statement {
    sid = "GitHubConnection"
    actions = [
      "codeconnections:CreateConnection",
      "codeconnections:DeleteConnection",
      "codeconnections:PassConnection",
      "codeconnections:TagResource",
      "codeconnections:UseConnection",
      "codestar-connections:CreateConnection",
      "codestar-connections:DeleteConnection",
      "codestar-connections:PassConnection",
      "codestar-connections:TagResource",
      "codestar-connections:UseConnection",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }
}

resource "aws_iam_policy" "infrastructure" {
  name        = "${var.name}-github-deploy-infrastructure"
  description = "terraform apply of ${var.name}: writes on the environment's own names."
  policy      = data.aws_iam_policy_document.infrastructure.json

  tags = var.tags
}

################################################################################
# Identity: roles and policies of the environment, always with the boundary
################################################################################

data "aws_iam_policy_document" "identity" {
  #checkov:skip=CKV_AWS_355:iam:CreateServiceLinkedRole takes no role ARN; it is bounded to the named AWS services.
  #checkov:skip=CKV_AWS_289:Role and policy changes are bounded to the environment's names and to roles that carry the permissions boundary.
  #checkov:skip=CKV_AWS_286:Role changes are bounded to the environment's names and the permissions boundary, which forbids identity administration.
  statement {
    sid       = "CreateAndChangeRolesOnlyWithTheBoundary"
    actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"]
    resources = ["${local.role_prefix}*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.boundary.arn]
    }
  }

  statement {
    sid       = "MaintainRoles"
    actions   = ["iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"]
    resources = ["${local.role_prefix}*"]
  }

  statement {
    sid       = "Policies"
    actions   = ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"]
    resources = ["${local.policy_prefix}*"]
  }

  statement {
    sid = "ClusterOidcProvider"
    actions = [
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:CreateOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
    ]
    resources = ["${local.arn}:iam::${local.account_id}:oidc-provider/oidc.eks.${local.region}.amazonaws.com/id/*"]
  }

  statement {
    sid       = "PassRolesToTheirServices"
    actions   = ["iam:PassRole"]
    resources = ["${local.role_prefix}*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com", "codebuild.amazonaws.com"]
    }
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["eks.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com", "codebuild.amazonaws.com"]
    }
  }

  # The pipeline's own identity is an administrator's to change: these deny
  # every write on the deploy role, its policies, the boundary and the GitHub
  # provider, whatever the statements above allow.
  statement {
    sid    = "NeverChangeItsOwnIdentity"
    effect = "Deny"
    not_actions = [
      "iam:Get*",
      "iam:List*",
    ]
    resources = [
      "${local.role_prefix}github-deploy",
      "${local.policy_prefix}github-deploy-*",
      "${local.policy_prefix}boundary",
      "${local.arn}:iam::${local.account_id}:oidc-provider/${local.github_oidc_host}",
    ]
  }

  statement {
    sid       = "NeverDropABoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "identity" {
  name        = "${var.name}-github-deploy-identity"
  description = "IAM of ${var.name}: its own roles and policies, always under the permissions boundary."
  policy      = data.aws_iam_policy_document.identity.json

  tags = var.tags
}
