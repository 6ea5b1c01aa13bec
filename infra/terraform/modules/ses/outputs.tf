output "identity" {
  description = "The SES identity (domain or address)."
  value       = aws_sesv2_email_identity.this.email_identity
}

output "identity_arn" {
  description = "ARN of the SES identity (resource of the notifications role's ses:SendEmail)."
  value       = aws_sesv2_email_identity.this.arn

  precondition {
    condition     = var.mail_from == var.identity || endswith(lower(var.mail_from), "@${lower(var.identity)}")
    error_message = "mail_from must equal the identity or be an address at the identity's domain."
  }
}

output "mail_from" {
  description = "Sender address (MAIL_FROM of the notifications service)."
  value       = var.mail_from
}

output "dkim_records" {
  description = "CNAME records that verify a domain identity and enable DKIM (create them yourself when route53_zone_id is null)."
  value = [
    for t in try(aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens, []) : {
      name  = "${t}._domainkey.${var.identity}"
      type  = "CNAME"
      value = "${t}.dkim.amazonses.com"
    }
  ]
}
