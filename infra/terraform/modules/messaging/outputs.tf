output "topic_arn" {
  description = "ARN of the domain-event topic (SNS_TOPIC_ARN of the publishing services, expenses and auth); known only once every consumer's queue is subscribed."
  value       = aws_sns_topic.events.arn

  # Whatever grants publishing (the iam module's sns:Publish) waits for every
  # subscription: an event published before a consumer's queue is subscribed
  # never reaches that consumer (e.g. an account.deleted the auth relay kept
  # in its outbox while it could not publish, and expenses must act on).
  depends_on = [aws_sns_topic_subscription.consumer]
}

output "consumers" {
  description = "The consuming services, sorted; the keys of every per-consumer map below."
  value       = sort(tolist(var.consumers))
}

output "queue_urls" {
  description = "URL of each consumer's queue (its SQS_QUEUE_URL), keyed by consumer."
  value       = { for c, q in aws_sqs_queue.consumer : c => q.id }
}

output "queue_arns" {
  description = "ARN of each consumer's queue, keyed by consumer."
  value       = { for c, q in aws_sqs_queue.consumer : c => q.arn }
}

output "dlq_urls" {
  description = "URL of each consumer's dead-letter queue (its SQS_DLQ_URL), keyed by consumer."
  value       = { for c, q in aws_sqs_queue.dlq : c => q.id }
}

output "dlq_arns" {
  description = "ARN of each consumer's dead-letter queue, keyed by consumer."
  value       = { for c, q in aws_sqs_queue.dlq : c => q.arn }
}

output "dlq_names" {
  description = "Name of each consumer's dead-letter queue (CloudWatch dimension QueueName), keyed by consumer."
  value       = { for c, q in aws_sqs_queue.dlq : c => q.name }
}

output "kms_key_arn" {
  description = "ARN of the KMS key of topic and queues (publishers need GenerateDataKey/Decrypt, consumers Decrypt, and GenerateDataKey to send to their DLQ)."
  value       = aws_kms_key.this.arn
}
