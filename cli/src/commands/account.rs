//! `expense register`, `expense login`, `expense logout`, `expense account password`,
//! `expense account delete`, and `expense account export` (in [`export`]).

pub mod export;

use std::io::Read;

use clap::{Args, Subcommand};
use expense_api::auth::{
    ChangePasswordRequest, DeleteAccountRequest, LoginRequest, RefreshRequest, RegisterRequest,
    TokenResponse, User,
};
use reqwest::Method;

use crate::client::{read_json, request_body};
use crate::context::Context;
use crate::credentials::{Session, StoreKind};
use crate::error::{CliError, ErrorKind, Result};
use crate::output::{Data, OutputArgs, column};
use crate::session::{self, Credentials};

/// How to get the e-mail and password.
#[derive(Debug, Clone, Args)]
pub struct CredentialArgs {
    /// E-mail address (prompted for on a terminal when left out).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Read the password from standard input (for scripts), instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,

    /// Keep the tokens in a 0600 file in the config directory instead of the OS keyring.
    #[arg(long)]
    pub insecure_storage: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub credentials: CredentialArgs,
}

/// `expense account …`: the signed-in account.
#[derive(Debug, Clone, Subcommand)]
pub enum AccountCommand {
    /// Change the password: every other session is signed out; this one is renewed.
    Password(PasswordArgs),
    /// Everything your account owns, receipts included, in one zip file.
    Export(export::ExportArgs),
    /// Delete the account and everything it owns, in every service; asks for the password and
    /// for the e-mail address, typed, to confirm.
    Delete(DeleteArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PasswordArgs {
    /// Also revoke every personal access token (by default they keep working).
    #[arg(long)]
    pub revoke_tokens: bool,

    /// Read the current password and then the new one, one per line, from standard input (for
    /// scripts), instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    /// Do not ask for the e-mail address to confirm (for scripts).
    #[arg(long)]
    pub yes: bool,

    /// Read the password from standard input (for scripts), instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn run(context: &mut Context, command: AccountCommand) -> Result<()> {
    match command {
        AccountCommand::Password(args) => change_password(context, args).await,
        AccountCommand::Export(args) => export::run(context, args).await,
        AccountCommand::Delete(args) => delete_account(context, args).await,
    }
}

/// Deletes the account on the server, then forgets its session here.
async fn delete_account(context: &mut Context, args: DeleteArgs) -> Result<()> {
    let (kind, key, email) = match context.credentials()? {
        Some(Credentials::Stored { kind, key, session }) => (kind, key, session.email),
        Some(Credentials::Environment(_)) => {
            return Err(CliError::usage(
                "deleting the account needs a signed-in session, not EXPENSE_TOKEN: unset it and run `expense login`",
            ));
        }
        None => {
            return Err(CliError::not_signed_in().with_hint(format!(
                "run `expense login` to sign in to {}",
                context.target.credential_key()
            )));
        }
    };
    if !args.yes {
        if !context.terminal.can_prompt() {
            return Err(CliError::usage(
                "not on a terminal: pass --yes (with --password-stdin) to delete the account without the typed confirmation",
            ));
        }
        let typed: String = dialoguer::Input::new()
            .with_prompt(format!(
                "This deletes {email} and all its expenses, budgets, receipts and notifications for good. Type the e-mail address to confirm"
            ))
            .allow_empty(true)
            .interact_text()
            .map_err(prompt_error)?;
        if typed.trim().to_lowercase() != email {
            return Err(CliError::new(
                ErrorKind::Cancelled,
                "not deleted: the address typed is not the account's",
            ));
        }
    }
    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        let password = text.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            return Err(CliError::usage("--password-stdin read an empty password"));
        }
        password
    } else if context.terminal.can_prompt() {
        dialoguer::Password::new()
            .with_prompt("Password")
            .interact()
            .map_err(prompt_error)?
    } else {
        return Err(CliError::usage(
            "not on a terminal: pass --password-stdin and pipe the password in",
        ));
    };
    let body = serde_json::to_value(DeleteAccountRequest { password }).expect("requests serialise");
    context
        .authorized()?
        .execute(Method::DELETE, "/v1/me", Some(&body))
        .await?;
    context.store.delete(kind, &key)?;
    context.update_profile(|profile| {
        profile.email = None;
        profile.credential_store = None;
    })?;
    context.success(&format!(
        "Deleted {email}: signed out here, and every service erases its data within moments"
    ));
    Ok(())
}

/// Changes the password and keeps the renewed session where the old one was kept.
async fn change_password(context: &mut Context, args: PasswordArgs) -> Result<()> {
    let (kind, email) = match context.credentials()? {
        Some(Credentials::Stored { kind, session, .. }) => (kind, session.email),
        Some(Credentials::Environment(_)) => {
            return Err(CliError::usage(
                "a password change needs a signed-in session, not EXPENSE_TOKEN: unset it and run `expense login`",
            ));
        }
        None => {
            return Err(CliError::not_signed_in().with_hint(format!(
                "run `expense login` to sign in to {}",
                context.target.credential_key()
            )));
        }
    };
    let (current_password, new_password) = read_password_change(context, args.password_stdin)?;
    let request = ChangePasswordRequest {
        current_password,
        new_password,
        revoke_tokens: args.revoke_tokens,
    };
    let body = request_body(&request);
    let tokens: TokenResponse = context
        .authorized()?
        .json(Method::POST, "/v1/me/password", Some(&body))
        .await?;
    let place = keep_session(context, &email, tokens, kind == StoreKind::File)?;
    let tokens_note = if args.revoke_tokens {
        " and every personal access token revoked"
    } else {
        "; personal access tokens still work (--revoke-tokens ends them)"
    };
    context.success(&format!(
        "Password changed: every other session signed out{tokens_note}. This session was renewed (kept in {place})"
    ));
    Ok(())
}

/// The current and the new password, from standard input or prompts.
fn read_password_change(context: &Context, from_stdin: bool) -> Result<(String, String)> {
    if from_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        let mut lines = text.lines().map(|line| line.trim_end_matches('\r').to_owned());
        return match (lines.next(), lines.next()) {
            (Some(current), Some(new)) if !current.is_empty() && !new.is_empty() => Ok((current, new)),
            _ => Err(CliError::usage(
                "--password-stdin reads two lines: the current password, then the new one",
            )),
        };
    }
    if !context.terminal.can_prompt() {
        return Err(CliError::usage(
            "not on a terminal: pass --password-stdin and pipe the current and the new password, one per line",
        ));
    }
    let current = dialoguer::Password::new()
        .with_prompt("Current password")
        .interact()
        .map_err(prompt_error)?;
    let new = dialoguer::Password::new()
        .with_prompt("New password")
        .with_confirmation("Repeat new password", "The passwords do not match")
        .validate_with(|p: &String| {
            if p.chars().count() >= 12 {
                Ok(())
            } else {
                Err("at least 12 characters, please")
            }
        })
        .interact()
        .map_err(prompt_error)?;
    Ok((current, new))
}

/// Creates the account, then signs in to it.
pub async fn register(context: &mut Context, args: RegisterArgs) -> Result<()> {
    let (email, password) = read_credentials(context, &args.credentials, true)?;
    let body = request_body(&RegisterRequest {
        email,
        password: password.clone(),
    });
    let response = context
        .api
        .send(Method::POST, "/v1/auth/register", Some(&body), None)
        .await?;
    let user: User = read_json(response).await?;
    sign_in(context, &user.email, &password, args.credentials.insecure_storage).await?;
    if args.output.json.is_some() || args.output.jq.is_some() || args.output.format.is_some() {
        context.render(&args.output, &Data::item_of(user_columns(), &user))?;
    }
    Ok(())
}

/// Signs in and stores the session.
pub async fn login(context: &mut Context, args: LoginArgs) -> Result<()> {
    let (email, password) = read_credentials(context, &args.credentials, false)?;
    sign_in(context, &email, &password, args.credentials.insecure_storage).await
}

async fn sign_in(context: &mut Context, email: &str, password: &str, use_file: bool) -> Result<()> {
    let body = request_body(&LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    });
    let response = context
        .api
        .send(Method::POST, "/v1/auth/login", Some(&body), None)
        .await?;
    let tokens: TokenResponse = read_json(response).await.map_err(|error| match error.kind {
        ErrorKind::Auth => {
            CliError::new(ErrorKind::Auth, error.message).with_hint("check the e-mail address and password")
        }
        _ => error,
    })?;
    let email = email.trim().to_lowercase();
    let place = keep_session(context, &email, tokens, use_file)?;
    let key = context.target.credential_key();
    context.success(&format!(
        "Signed in to {key} as {email} (session kept in {place})"
    ));
    Ok(())
}

/// Stores `tokens` as the session of `email` on the active server and notes it in the profile;
/// answers where it is kept.
fn keep_session(context: &mut Context, email: &str, tokens: TokenResponse, use_file: bool) -> Result<String> {
    let session = Session {
        email: email.to_owned(),
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        access_expires_at: session::now() + i64::try_from(tokens.expires_in).unwrap_or(900),
    };
    let key = context.target.credential_key();
    let saved = context.store.save(&key, &session, use_file)?;
    if let Some(reason) = &saved.fallback_reason {
        let path = context.store.file_path().display().to_string();
        context.warn(&format!("{reason}; the session is stored in {path} (mode 0600)"));
    }
    let api_url = key.clone();
    let kind = saved.kind;
    context.update_profile(|profile| {
        profile.api_url = Some(api_url);
        profile.email = Some(email.to_owned());
        profile.credential_store = Some(kind);
    })?;
    Ok(match saved.kind {
        StoreKind::Keyring => "the OS keyring".to_owned(),
        StoreKind::File => context.store.file_path().display().to_string(),
    })
}

/// Ends the session on the server (best effort) and forgets it here.
pub async fn logout(context: &mut Context) -> Result<()> {
    let key = context.target.credential_key();
    match context.credentials()? {
        Some(Credentials::Stored { kind, key, session }) => {
            let body = request_body(&RefreshRequest {
                refresh_token: session.refresh_token,
            });
            if let Err(error) = context
                .api
                .send(Method::POST, "/v1/auth/logout", Some(&body), None)
                .await
            {
                context.warn(&format!(
                    "could not tell the server ({}); forgetting the session here anyway",
                    error.message
                ));
            }
            context.store.delete(kind, &key)?;
            context.update_profile(|profile| {
                profile.email = None;
                profile.credential_store = None;
            })?;
            context.success(&format!("Signed out of {key}"));
            Ok(())
        }
        Some(Credentials::Environment(_)) => Err(CliError::usage(
            "signed in through EXPENSE_TOKEN; unset it to sign out",
        )),
        None => Err(CliError::new(ErrorKind::Auth, format!("not signed in to {key}"))),
    }
}

/// The e-mail and password, from flags, stdin or prompts.
fn read_credentials(context: &Context, args: &CredentialArgs, confirm: bool) -> Result<(String, String)> {
    let can_prompt = context.terminal.can_prompt();
    let email = match &args.email {
        Some(email) => email.clone(),
        None if can_prompt => dialoguer::Input::<String>::new()
            .with_prompt("E-mail")
            .interact_text()
            .map_err(prompt_error)?,
        None => return Err(CliError::usage("--email is required when not on a terminal")),
    };
    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        let password = text.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            return Err(CliError::usage("--password-stdin read an empty password"));
        }
        password
    } else if can_prompt {
        let mut prompt = dialoguer::Password::new().with_prompt("Password");
        if confirm {
            prompt = prompt
                .with_confirmation("Repeat password", "The passwords do not match")
                .validate_with(|p: &String| {
                    if p.chars().count() >= 12 {
                        Ok(())
                    } else {
                        Err("at least 12 characters, please")
                    }
                });
        }
        prompt.interact().map_err(prompt_error)?
    } else {
        return Err(CliError::usage(
            "not on a terminal: pass --password-stdin and pipe the password in",
        ));
    };
    Ok((email, password))
}

fn prompt_error(error: dialoguer::Error) -> CliError {
    CliError::new(ErrorKind::Cancelled, format!("prompt cancelled: {error}"))
}

/// The columns of an account.
pub fn user_columns() -> Vec<crate::output::Column> {
    vec![
        column("email", "Email"),
        column("id", "ID"),
        column("role", "Role"),
        column("created_at", "Created"),
        column("disabled_at", "Disabled"),
    ]
}
