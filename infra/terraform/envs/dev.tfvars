# The dev environment: cheap and disposable. A single NAT gateway, one small
# single-AZ database without deletion protection, 30-day logs, buckets,
# repositories and secrets that destroy removes (nothing is left behind but
# KMS keys in their 7-day deletion window).
#
# `cargo xtask provision --env dev` applies envs/ with this file, on dev's own
# state. Your values (hostname, mail_from, github_repository, ...) go at the
# end (docs/operations.md, "Provision").
env = "dev"

vpc_cidr           = "10.20.0.0/16"
single_nat_gateway = true

db_instance_class        = "db.t4g.small"
db_allocated_storage     = 20
db_max_allocated_storage = 50
db_multi_az              = false
db_backup_retention_days = 7
db_deletion_protection   = false
db_skip_final_snapshot   = true
db_apply_immediately     = true

receipts_force_destroy      = true
ecr_repository_name         = "expense-dev/expense-server"
ecr_force_delete            = true
secret_recovery_window_days = 0
kms_deletion_window_in_days = 7
log_retention_days          = 30
