//! `expense whoami`: the signed-in account.

use expense_api::auth::User;
use reqwest::Method;

use crate::commands::account::user_columns;
use crate::context::Context;
use crate::error::Result;
use crate::output::{Data, OutputArgs};

pub async fn run(context: &mut Context, output: &OutputArgs) -> Result<()> {
    let user: User = context.authorized()?.json(Method::GET, "/v1/me", None).await?;
    context.render(output, &Data::item_of(user_columns(), &user))
}
