locals {
  manage_dns = var.route53_zone_id != null
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
