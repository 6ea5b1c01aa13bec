output "certificate_arn" {
  description = "ARN of the ACM certificate (alb.ingress.kubernetes.io/certificate-arn). When Route 53 validation is managed here, only known once issued."
  value       = local.manage_dns ? aws_acm_certificate_validation.this[0].certificate_arn : aws_acm_certificate.this.arn
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate (create them yourself when route53_zone_id is null)."
  value = [
    for dvo in aws_acm_certificate.this.domain_validation_options : {
      name  = dvo.resource_record_name
      type  = dvo.resource_record_type
      value = dvo.resource_record_value
    }
  ]
}

output "hostname" {
  description = "Public hostname of the platform."
  value       = var.hostname
}
