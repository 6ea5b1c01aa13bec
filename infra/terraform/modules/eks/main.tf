data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}

################################################################################
# KMS key for envelope encryption of Kubernetes Secrets
################################################################################

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:KMS key policy, not an identity policy: Resource "*" means this key only, and key administration must stay with the account root.
  #checkov:skip=CKV_AWS_111:KMS key policy, not an identity policy: Resource "*" means this key only; service statements are bound by SourceArn/SourceAccount or encryption context.
  #checkov:skip=CKV_AWS_356:KMS key policy, not an identity policy: Resource "*" is the only valid resource in a key policy (it means this key).
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "secrets" {
  description             = "Envelope encryption of Kubernetes Secrets in EKS cluster ${var.name}."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-eks-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

################################################################################
# Cluster IAM role: the control plane and, with Auto Mode, the AWS-managed
# compute (Karpenter), block storage, load balancing (the ALB of the Ingress)
# and pod networking capabilities all act with this role.
################################################################################

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name                 = "${var.name}-eks-cluster"
  description          = "EKS control plane and Auto Mode capabilities of ${var.name}."
  assume_role_policy   = data.aws_iam_policy_document.cluster_assume.json
  permissions_boundary = var.permissions_boundary

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = toset([
    "AmazonEKSClusterPolicy",
    # EKS Auto Mode: nodes, EBS volumes, load balancers, pod networking.
    "AmazonEKSComputePolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingPolicy",
  ])

  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

data "aws_iam_policy_document" "cluster_kms" {
  statement {
    sid = "EnvelopeEncryption"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ListGrants",
      "kms:DescribeKey",
    ]
    resources = [aws_kms_key.secrets.arn]
  }
}

resource "aws_iam_role_policy" "cluster_kms" {
  name   = "secrets-envelope-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_kms.json
}

################################################################################
# Node IAM role: the instances Auto Mode launches (EKS creates their access
# entry from compute_config). Pods never get it: Auto Mode enforces IMDSv2
# with a hop limit of 1, and workloads use IRSA.
################################################################################

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name                 = "${var.name}-eks-node"
  description          = "Instance role of the ${var.name} Auto Mode nodes."
  assume_role_policy   = data.aws_iam_policy_document.node_assume.json
  permissions_boundary = var.permissions_boundary

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodeMinimalPolicy",
    "AmazonEC2ContainerRegistryPullOnly",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

################################################################################
# The API endpoint's own security group: EKS attaches it to the control-plane
# ENIs in the private subnets, next to the cluster security group it makes.
# It admits HTTPS from the listed security groups only (the CI runner in the
# VPC, docs/deploying.md "How CI reaches the cluster").
################################################################################

resource "aws_security_group" "api" {
  name        = "${var.name}-eks-api"
  description = "Kubernetes API of ${var.name}: HTTPS from the listed clients in the VPC."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-eks-api" })
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  for_each = var.api_client_security_group_ids

  security_group_id            = aws_security_group.api.id
  description                  = "Kubernetes API from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value

  tags = var.tags

  lifecycle {
    # moto drops the description of a rule that references a group (a change
    # on every plan); on AWS it is set at creation and never changes.
    ignore_changes = [description]
  }
}

################################################################################
# Cluster (EKS Auto Mode)
################################################################################

resource "aws_eks_cluster" "this" {
  name                      = var.name
  version                   = var.kubernetes_version
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = var.enabled_log_types

  # Auto Mode brings its own CNI, kube-proxy, CoreDNS, EBS CSI and load
  # balancer controller on the nodes it manages; none is installed beside it.
  bootstrap_self_managed_addons = false

  # Access entries only (no aws-auth ConfigMap); whoever creates the cluster
  # is admin. moto does not store access_config (it would force a
  # replacement on every plan), so the env switches it off under moto only.
  dynamic "access_config" {
    for_each = var.enable_access_config ? [1] : []

    content {
      authentication_mode                         = "API"
      bootstrap_cluster_creator_admin_permissions = true
    }
  }

  # STANDARD: when the version leaves standard support the cluster is
  # upgraded instead of silently moving to extended support at six times the
  # hourly price (docs/deploying.md, "Kubernetes versions and upgrades").
  # moto does not store it (a diff on every plan), so the env switches it off
  # under moto only.
  dynamic "upgrade_policy" {
    for_each = var.enable_upgrade_policy ? [1] : []

    content {
      support_type = var.support_type
    }
  }

  # EKS Auto Mode: compute (Karpenter run by AWS, node autoscaling), block
  # storage and load balancing (the ALB of the Ingress) are one switch; EKS
  # refuses them apart. moto stores none of the three, so the env switches
  # them off under moto only.
  dynamic "compute_config" {
    for_each = var.enable_auto_mode ? [1] : []

    content {
      enabled       = true
      node_pools    = var.builtin_node_pools
      node_role_arn = aws_iam_role.node.arn
    }
  }

  dynamic "kubernetes_network_config" {
    for_each = var.enable_auto_mode ? [1] : []

    content {
      elastic_load_balancing {
        enabled = true
      }
    }
  }

  dynamic "storage_config" {
    for_each = var.enable_auto_mode ? [1] : []

    content {
      block_storage {
        enabled = true
      }
    }
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    security_group_ids      = [aws_security_group.api.id]
    endpoint_private_access = true
    endpoint_public_access  = length(var.public_access_cidrs) > 0
    public_access_cidrs     = length(var.public_access_cidrs) > 0 ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = aws_kms_key.secrets.arn
    }
  }

  tags = var.tags

  lifecycle {
    # The control-plane log group is created beforehand by the observability
    # module (retention, KMS). EKS writes to exactly this name; referencing
    # it here also orders the group before the cluster, so EKS never creates
    # an unencrypted group with infinite retention on its own.
    precondition {
      condition     = var.control_plane_log_group_name == "/aws/eks/${var.name}/cluster"
      error_message = "control_plane_log_group_name must be /aws/eks/<cluster name>/cluster."
    }
  }

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_kms,
    aws_iam_role_policy_attachment.node,
  ]
}

################################################################################
# OIDC provider for IRSA
################################################################################

# No thumbprint_list: IAM trusts the EKS OIDC issuers through its own CA
# library and ignores thumbprints for them, and computing one would need the
# tls provider (not available offline, and pointless here).
resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]

  tags = merge(var.tags, { Name = "${var.name}-irsa" })
}

################################################################################
# Managed add-ons (not implemented by moto: switched off there). Auto Mode
# runs CNI, kube-proxy and CoreDNS itself; metrics-server (the HPAs' CPU
# figures) is an EKS community add-on.
################################################################################

resource "aws_eks_addon" "this" {
  for_each = var.enable_addons ? var.addons : {}

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  tags = var.tags
}

################################################################################
# Cluster access entries for admins (CI deploy role, operators)
################################################################################

resource "aws_eks_access_entry" "admin" {
  for_each = var.admin_principal_arns

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"

  tags = var.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = var.admin_principal_arns

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.admin]
}
