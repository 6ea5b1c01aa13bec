data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  topic_name = "${var.name}-events"

  # One queue and one DLQ per consuming service: <name>-<consumer>[-dlq].
  queue_names = { for c in var.consumers : c => "${var.name}-${c}" }
  dlq_names   = { for c in var.consumers : c => "${var.name}-${c}-dlq" }

  # Built from names, not from the resources, so the key policy can name the
  # topic that is itself encrypted with the key, and a queue's policy is known
  # at plan time even while another consumer's queue is being added.
  topic_arn  = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"
  queue_arns = { for c, n in local.queue_names : c => "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${n}" }
}

################################################################################
# KMS key of the topic and the queues
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

  # SNS must encrypt the messages it delivers into the encrypted queues.
  statement {
    sid       = "SnsDeliveryToEncryptedQueue"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.topic_arn]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encryption of the ${var.name} event topic and its consumers' queues."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-messaging"
  target_key_id = aws_kms_key.this.key_id
}

################################################################################
# Topic
################################################################################

resource "aws_sns_topic" "events" {
  name              = local.topic_name
  display_name      = "${var.name} domain events"
  kms_master_key_id = aws_kms_key.this.arn

  tags = var.tags
}

# Without a policy of its own, a topic gets AWS's default one, which lets any
# principal of the account publish, subscribe, change the topic's attributes
# and permissions, and delete it. This one only delegates to the account's IAM
# policies: who may publish (the expenses role) is an identity policy's
# business (found by the least-privilege proof, infra/terraform/least-privilege.yaml).
data "aws_iam_policy_document" "events_topic" {
  statement {
    sid       = "AccountIamPoliciesDecide"
    actions   = ["sns:*"]
    resources = [aws_sns_topic.events.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  arn    = aws_sns_topic.events.arn
  policy = data.aws_iam_policy_document.events_topic.json
}

################################################################################
# Per consumer: queue + dead-letter queue + queue policy + subscription
#
# Every consumer gets every event (SNS fans out to each subscribed queue) and
# acknowledges it in its own queue, so one consumer never takes messages away
# from another, and a failing consumer fills only its own DLQ.
################################################################################

resource "aws_sqs_queue" "dlq" {
  for_each = local.dlq_names

  name                              = each.value
  message_retention_seconds         = var.dlq_message_retention_seconds
  kms_master_key_id                 = aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 300

  tags = var.tags
}

resource "aws_sqs_queue" "consumer" {
  for_each = local.queue_names

  name                              = each.value
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.message_retention_seconds
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 300

  tags = var.tags

  lifecycle {
    # Owned by aws_sqs_queue_redrive_policy.consumer below (inline JSON drifts
    # on whitespace).
    ignore_changes = [redrive_policy]
  }
}

resource "aws_sqs_queue_redrive_policy" "consumer" {
  for_each = aws_sqs_queue.consumer

  queue_url = each.value.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = var.max_receive_count
  })
}

# Each DLQ may only be used by its own consumer's queue (moto never stores
# this policy and hangs, so the env switches it off under moto only).
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = var.enable_redrive_allow_policy ? aws_sqs_queue.dlq : {}

  queue_url = each.value.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.consumer[each.key].arn]
  })
}

data "aws_iam_policy_document" "queue" {
  for_each = local.queue_arns

  statement {
    sid       = "AllowEventsTopicOnly"
    actions   = ["sqs:SendMessage"]
    resources = [each.value]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.events.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "consumer" {
  for_each = aws_sqs_queue.consumer

  queue_url = each.value.id
  policy    = data.aws_iam_policy_document.queue[each.key].json

  # Set after the redrive policy: some SQS emulators (moto) reset the policy
  # when other queue attributes change.
  depends_on = [aws_sqs_queue_redrive_policy.consumer]
}

resource "aws_sns_topic_subscription" "consumer" {
  for_each = aws_sqs_queue.consumer

  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = each.value.arn
  raw_message_delivery = true

  depends_on = [aws_sqs_queue_policy.consumer]
}

################################################################################
# State moves from the single-queue layout (notifications only), so an
# existing environment keeps its notifications queue and its messages.
################################################################################

moved {
  from = aws_sqs_queue.notifications
  to   = aws_sqs_queue.consumer["notifications"]
}

moved {
  from = aws_sqs_queue.dlq
  to   = aws_sqs_queue.dlq["notifications"]
}

moved {
  from = aws_sqs_queue_redrive_policy.notifications
  to   = aws_sqs_queue_redrive_policy.consumer["notifications"]
}

moved {
  from = aws_sqs_queue_redrive_allow_policy.dlq[0]
  to   = aws_sqs_queue_redrive_allow_policy.dlq["notifications"]
}

moved {
  from = aws_sqs_queue_policy.notifications
  to   = aws_sqs_queue_policy.consumer["notifications"]
}

moved {
  from = aws_sns_topic_subscription.notifications
  to   = aws_sns_topic_subscription.consumer["notifications"]
}
