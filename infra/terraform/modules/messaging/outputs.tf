output "topic_arn" {
  description = "ARN of the domain-event topic (SNS_TOPIC_ARN of the expenses service)."
  value       = aws_sns_topic.events.arn
}

output "queue_url" {
  description = "URL of the notifications queue (SQS_QUEUE_URL of the notifications service)."
  value       = aws_sqs_queue.notifications.id
}

output "queue_arn" {
  description = "ARN of the notifications queue."
  value       = aws_sqs_queue.notifications.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dlq.id
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Name of the dead-letter queue (CloudWatch dimension QueueName)."
  value       = aws_sqs_queue.dlq.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key of topic and queues (publishers need GenerateDataKey/Decrypt, consumers Decrypt)."
  value       = aws_kms_key.this.arn
}
