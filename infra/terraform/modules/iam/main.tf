data "aws_region" "current" {}

locals {
  oidc_issuer_host = replace(var.oidc_issuer_url, "https://", "")
  region           = data.aws_region.current.name

  # Service account => namespace. Role names follow the contract:
  # <name>-<service account>, e.g. expense-dev-receipts.
  service_accounts = {
    auth            = var.namespace
    expenses        = var.namespace
    receipts        = var.namespace
    notifications   = var.namespace
    migrate         = var.namespace
    monthly-summary = var.namespace # the CronJob: mail, but no event queue
    fluent-bit      = var.logging_namespace
  }

  receipts_prefix = trimsuffix(var.receipts_prefix, "/")
}

################################################################################
# Trust: one role per service account, bound to exactly that account
################################################################################

data "aws_iam_policy_document" "assume" {
  for_each = local.service_accounts

  statement {
    sid     = "IrsaServiceAccount"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:sub"
      values   = ["system:serviceaccount:${each.value}:${each.key}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.service_accounts

  name                 = "${var.name}-${each.key}"
  description          = "IRSA role of the ${each.value}/${each.key} service account."
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary

  tags = merge(var.tags, { ServiceAccount = "${each.value}/${each.key}" })
}

################################################################################
# Shared: read the RDS-managed master secret (every role that talks to Postgres)
################################################################################

data "aws_iam_policy_document" "database" {
  statement {
    sid       = "ReadDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.rds_master_secret_arn]
  }

  statement {
    sid       = "DecryptDatabaseSecret"
    actions   = ["kms:Decrypt"]
    resources = [var.rds_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

################################################################################
# Shared: publish domain events to the topic (the outbox relays of expenses and
# auth; SNS_TOPIC_ARN)
################################################################################

data "aws_iam_policy_document" "publish_events" {
  statement {
    sid       = "PublishEvents"
    actions   = ["sns:Publish"]
    resources = [var.sns_topic_arn]
  }

  # Publishing to an SSE-KMS topic needs a data key from the topic's key.
  statement {
    sid       = "EncryptEvents"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.messaging_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sns.${local.region}.amazonaws.com"]
    }
  }
}

################################################################################
# auth: the JWT signing key; publishes account events (account.deleted)
################################################################################

data "aws_iam_policy_document" "auth" {
  source_policy_documents = [
    data.aws_iam_policy_document.database.json,
    data.aws_iam_policy_document.publish_events.json,
  ]

  statement {
    sid       = "ReadJwtSigningKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.jwt_secret_arn]
  }

  statement {
    sid       = "DecryptJwtSigningKey"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

################################################################################
# expenses: publish domain events (its queue, for account.deleted: see the
# event consumers below)
################################################################################

data "aws_iam_policy_document" "expenses" {
  source_policy_documents = [
    data.aws_iam_policy_document.database.json,
    data.aws_iam_policy_document.publish_events.json,
  ]
}

################################################################################
# receipts: objects under users/* in the receipts bucket
################################################################################

data "aws_iam_policy_document" "receipts" {
  source_policy_documents = [data.aws_iam_policy_document.database.json]

  # Presigned PUT/GET are signed with this role, so it needs the very
  # permissions it hands out, plus tagging for the pending-upload marker.
  statement {
    sid = "ReceiptObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:GetObjectTagging",
      "s3:PutObjectTagging",
      "s3:DeleteObjectTagging",
      "s3:AbortMultipartUpload",
    ]
    resources = ["${var.receipts_bucket_arn}/${local.receipts_prefix}/*"]
  }

  statement {
    sid       = "ListReceiptPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.receipts_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.receipts_prefix}/*"]
    }
  }

  statement {
    sid       = "ReceiptObjectEncryption"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.receipts_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

################################################################################
# notifications and monthly-summary: send mail from the SES identity (the
# notifications queue: see below; monthly-summary consumes no events)
################################################################################

data "aws_iam_policy_document" "send_mail" {
  statement {
    sid       = "SendMailFromIdentity"
    actions   = ["ses:SendEmail"]
    resources = [var.ses_identity_arn]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.mail_from]
    }
  }
}

data "aws_iam_policy_document" "notifications" {
  source_policy_documents = [
    data.aws_iam_policy_document.database.json,
    data.aws_iam_policy_document.send_mail.json,
  ]
}

data "aws_iam_policy_document" "monthly_summary" {
  source_policy_documents = [
    data.aws_iam_policy_document.database.json,
    data.aws_iam_policy_document.send_mail.json,
  ]
}

################################################################################
# migrate: only the database
################################################################################

data "aws_iam_policy_document" "migrate" {
  source_policy_documents = [data.aws_iam_policy_document.database.json]
}

################################################################################
# fluent-bit: write to the services' log group only
################################################################################

data "aws_iam_policy_document" "fluent_bit" {
  statement {
    sid = "PutServiceLogs"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [
      var.services_log_group_arn,
      "${var.services_log_group_arn}:log-stream:*",
    ]
  }
}

################################################################################
# Event consumers: each role reads only its own queue (SQS_QUEUE_URL) and may
# move unreadable messages to its own DLQ (SQS_DLQ_URL)
################################################################################

data "aws_iam_policy_document" "consume_events" {
  for_each = var.event_queues

  statement {
    sid = "ConsumeOwnEventQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = [each.value.queue_arn]
  }

  statement {
    sid       = "DeadLetterOwnEvents"
    actions   = ["sqs:SendMessage"]
    resources = [each.value.dlq_arn]
  }

  # Receiving from an SSE-KMS queue decrypts with the queue's key; sending to
  # the (equally encrypted) DLQ needs a data key from it.
  statement {
    sid       = "EventQueueEncryption"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.messaging_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sqs.${local.region}.amazonaws.com"]
    }
  }
}

locals {
  service_policies = {
    auth            = data.aws_iam_policy_document.auth.json
    expenses        = data.aws_iam_policy_document.expenses.json
    receipts        = data.aws_iam_policy_document.receipts.json
    notifications   = data.aws_iam_policy_document.notifications.json
    migrate         = data.aws_iam_policy_document.migrate.json
    monthly-summary = data.aws_iam_policy_document.monthly_summary.json
    fluent-bit      = data.aws_iam_policy_document.fluent_bit.json
  }
}

# A consumer's own policy plus the rights on its queue, in one document.
data "aws_iam_policy_document" "with_events" {
  for_each = var.event_queues

  source_policy_documents = [
    local.service_policies[each.key],
    data.aws_iam_policy_document.consume_events[each.key].json,
  ]
}

locals {
  policies = merge(
    local.service_policies,
    { for sa, doc in data.aws_iam_policy_document.with_events : sa => doc.json },
  )
}

resource "aws_iam_role_policy" "this" {
  for_each = local.service_accounts

  name   = "least-privilege"
  role   = aws_iam_role.this[each.key].id
  policy = local.policies[each.key]
}
