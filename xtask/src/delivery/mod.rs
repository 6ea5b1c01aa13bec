//! Getting `expense-server` from a commit onto EKS: the image, the manifests and the workflow
//! that ships them (docs/deploying.md). So far this holds the offline checks `cargo xtask test`
//! runs on those files ([`checks`]); the `images` and `deploy` commands belong here too. Nothing
//! here touches `infra/terraform`: that is `infra`.

pub mod checks;
