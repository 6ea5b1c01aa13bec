locals {
  oidc_issuer_host = replace(var.oidc_issuer_url, "https://", "")
  manage_dns       = var.route53_zone_id != null
}

################################################################################
# IRSA role of the AWS Load Balancer Controller (kube-system)
################################################################################

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:sub"
      values   = ["system:serviceaccount:${var.controller_namespace}:${var.controller_service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "controller" {
  name                 = "${var.name}-aws-load-balancer-controller"
  description          = "IRSA role of the AWS Load Balancer Controller in ${var.controller_namespace}/${var.controller_service_account}."
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600

  tags = var.tags
}

# The upstream AWSLoadBalancerControllerIAMPolicy (kubernetes-sigs/
# aws-load-balancer-controller docs/install/iam_policy.json, v2.13/v2.14),
# kept verbatim in iam_policy.json so a controller upgrade is a file diff.
# Its write actions are scoped by the elbv2.k8s.aws/cluster tag conditions;
# the ARNs of the load balancers, target groups and security groups it
# creates cannot be known in advance.
resource "aws_iam_policy" "controller" {
  #checkov:skip=CKV_AWS_355:Upstream controller policy; Describe*/Get* and a few create calls cannot be scoped to ARNs that do not exist yet.
  #checkov:skip=CKV_AWS_290:Upstream controller policy; writes are bounded by the elbv2.k8s.aws/cluster request/resource tag conditions.
  #checkov:skip=CKV_AWS_289:Upstream controller policy; iam:CreateServiceLinkedRole is limited to elasticloadbalancing.amazonaws.com.
  name        = "${var.name}-aws-load-balancer-controller"
  description = "AWS Load Balancer Controller permissions (upstream policy) for ${var.name}."
  policy      = file("${path.module}/iam_policy.json")

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "controller" {
  role       = aws_iam_role.controller.name
  policy_arn = aws_iam_policy.controller.arn
}

################################################################################
# TLS certificate of the public hostname (terminated at the ALB)
################################################################################

resource "aws_acm_certificate" "this" {
  domain_name               = var.hostname
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = merge(var.tags, { Name = var.hostname })

  lifecycle {
    create_before_destroy = true
  }
}

# With a Route 53 zone the validation records are created here and apply
# waits until the certificate is issued; without one, the operator creates
# the records from the certificate_validation_records output.
resource "aws_route53_record" "validation" {
  for_each = local.manage_dns ? {
    for dvo in aws_acm_certificate.this.domain_validation_options : dvo.domain_name => {
      name   = dvo.resource_record_name
      type   = dvo.resource_record_type
      record = dvo.resource_record_value
    }
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.name
  type            = each.value.type
  ttl             = 300
  records         = [each.value.record]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = local.manage_dns ? 1 : 0

  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
