output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API server."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_security_group_id" {
  description = "Security group EKS creates for the control plane and attaches to managed nodes (null under moto)."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (https://...)."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider used by IRSA trust policies."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "node_role_arn" {
  description = "ARN of the node group's instance role."
  value       = aws_iam_role.node.arn
}

output "node_role_name" {
  description = "Name of the Auto Mode node role (the NodeClass of k8s/cluster names it)."
  value       = aws_iam_role.node.name
}

output "api_security_group_id" {
  description = "Security group of the private API endpoint (HTTPS from api_client_security_group_ids)."
  value       = aws_security_group.api.id
}

output "addons" {
  description = "The EKS add-ons this cluster runs (name => pinned version or null), whether or not the add-on API is reachable (moto)."
  value       = var.addons
}

output "auto_mode" {
  description = "Auto Mode settings as configured: capabilities on, built-in node pools, upgrade support type."
  value = {
    enabled            = var.enable_auto_mode
    builtin_node_pools = var.builtin_node_pools
    support_type       = var.support_type
  }
}

output "secrets_kms_key_arn" {
  description = "ARN of the KMS key encrypting Kubernetes Secrets."
  value       = aws_kms_key.secrets.arn
}
