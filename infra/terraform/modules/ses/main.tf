locals {
  is_domain = !strcontains(var.identity, "@")

  # Easy DKIM always hands out three tokens; a fixed count keeps the plan
  # independent of values only known after apply.
  manage_dkim_records = local.is_domain && var.route53_zone_id != null
}

resource "aws_sesv2_email_identity" "this" {
  email_identity = var.identity

  tags = var.tags
}

resource "aws_route53_record" "dkim" {
  count = local.manage_dkim_records ? 3 : 0

  zone_id = var.route53_zone_id
  name    = "${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.identity}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}
