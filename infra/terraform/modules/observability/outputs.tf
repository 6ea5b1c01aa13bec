output "log_group_names" {
  description = "Log group names by purpose: eks_control_plane, vpc_flow_logs, services, rds_postgresql, rds_upgrade."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "eks_control_plane_log_group_name" {
  description = "Log group of the EKS control-plane logs."
  value       = aws_cloudwatch_log_group.this["eks_control_plane"].name
}

output "flow_log_group_arn" {
  description = "ARN of the VPC flow log group."
  value       = aws_cloudwatch_log_group.this["vpc_flow_logs"].arn
}

output "services_log_group_name" {
  description = "Log group fluent-bit ships the services' logs to."
  value       = aws_cloudwatch_log_group.this["services"].name
}

output "services_log_group_arn" {
  description = "ARN of the services' log group."
  value       = aws_cloudwatch_log_group.this["services"].arn
}

output "rds_log_group_names" {
  description = "Log groups of the exported RDS logs."
  value       = [aws_cloudwatch_log_group.this["rds_postgresql"].name, aws_cloudwatch_log_group.this["rds_upgrade"].name]
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of all alarms."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.alb_5xx_rate : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.alb_target_response_time : a.alarm_name],
    [
      aws_cloudwatch_metric_alarm.rds_cpu.alarm_name,
      aws_cloudwatch_metric_alarm.rds_free_storage.alarm_name,
    ],
    [for a in aws_cloudwatch_metric_alarm.dlq_depth : a.alarm_name],
  )
}

output "kms_key_arn" {
  description = "ARN of the KMS key of the log groups and the alarm topic."
  value       = aws_kms_key.this.arn
}
