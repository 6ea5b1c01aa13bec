# The production environment: one NAT gateway per AZ, a Multi-AZ database
# with deletion protection, 30-day backups and a final snapshot, at least 365
# days of logs (validated), buckets, repositories and secrets that destroy will
# not empty, KMS keys with a 30-day deletion window. Its images are copied from
# dev's repository by digest (image_promotion_source_repository_arn, default
# dev's repository in this account).
#
# `cargo xtask provision --env prod` applies envs/ with this file, on prod's
# own state. Your values (hostname, mail_from, github_repository, ...) go at
# the end (docs/operations.md, "Provision"); if prod shares dev's account, set
# create_github_oidc_provider = false (the account's GitHub provider is dev's).
env = "prod"

vpc_cidr           = "10.30.0.0/16"
single_nat_gateway = false

db_instance_class        = "db.m7g.large"
db_allocated_storage     = 100
db_max_allocated_storage = 500
db_multi_az              = true
db_backup_retention_days = 30
db_deletion_protection   = true
db_skip_final_snapshot   = false
db_apply_immediately     = false

receipts_force_destroy      = false
ecr_repository_name         = "expense-prod/expense-server"
ecr_force_delete            = false
secret_recovery_window_days = 30
kms_deletion_window_in_days = 30
log_retention_days          = 365
