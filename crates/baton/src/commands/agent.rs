//! `baton agent create`: add an agent account from the command line.

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use baton_domain::account::{self, NewAccount};
use baton_server::secrets;
use baton_storage::{NewAgent, Role, StoreError};

pub struct CreateArgs<'a> {
    pub data_dir: &'a Path,
    pub database_url: Option<String>,
    pub email: &'a str,
    pub role: Role,
    pub display_name: Option<&'a str>,
    pub max_chats: u32,
    pub workspace: Option<&'a str>,
}

/// Creates the account; the password comes from a hidden prompt on a terminal, else from the
/// first line of standard input.
pub async fn create(args: CreateArgs<'_>) -> anyhow::Result<()> {
    let password = read_password()?;
    let email = args.email.trim().to_lowercase();
    let display_name = args
        .display_name
        .map(str::to_owned)
        .unwrap_or_else(|| email.split('@').next().unwrap_or("Agent").to_owned());
    let account = NewAccount::parse(&email, &display_name, &password, args.max_chats)?;
    let mut config = baton_server::Config::new(args.data_dir);
    config.database_url = args.database_url;
    let store = config.open_store().await?;
    let workspaces = store.workspaces().await?;
    let workspace = match args.workspace {
        Some(id) => workspaces
            .iter()
            .find(|w| w.id.to_string() == id || w.name == id)
            .ok_or_else(|| anyhow::anyhow!("no workspace with id or name {id:?}"))?,
        None => match workspaces.as_slice() {
            [only] => only,
            [] => anyhow::bail!("the database has no workspace yet; run `baton serve` once first"),
            _ => anyhow::bail!("there are several workspaces; name one with --workspace"),
        },
    };
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await?
        .map_err(anyhow::Error::msg)?;
    let agent = store
        .create_agent(&NewAgent {
            workspace_id: workspace.id,
            email: account.email.into_string(),
            display_name: account.display_name.into_string(),
            password_hash: hash,
            role: args.role,
            max_chats: account.max_chats,
        })
        .await
        .map_err(|e| match e {
            StoreError::Taken(_) => anyhow::anyhow!("an account with this email already exists"),
            other => other.into(),
        })?;
    println!(
        "Created {} {} ({}) in workspace {:?}.",
        agent.role.as_str(),
        agent.email,
        agent.id,
        workspace.name
    );
    store.close().await;
    Ok(())
}

/// Sets an existing agent's password (read as for `create`) and ends all their sessions.
pub async fn set_password(
    data_dir: &Path,
    database_url: Option<String>,
    email: &str,
) -> anyhow::Result<()> {
    let email = email.trim().to_lowercase();
    let password = read_password()?;
    account::check_password(&password)?;
    let mut config = baton_server::Config::new(data_dir);
    config.database_url = database_url;
    let store = config.open_store().await?;
    let result = async {
        let (agent, _) = store
            .agent_for_login(&email)
            .await?
            .ok_or_else(|| anyhow::anyhow!("--email: no agent has the email {email:?}"))?;
        let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&password))
            .await?
            .map_err(anyhow::Error::msg)?;
        store.set_password(agent.id, &hash, None).await?;
        anyhow::Ok(agent)
    }
    .await;
    store.close().await;
    let agent = result?;
    println!(
        "Set the password of {} ({}); their sessions were ended.",
        agent.email, agent.id
    );
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        anyhow::ensure!(first == second, "the passwords do not match");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        anyhow::ensure!(!password.is_empty(), "no password on standard input");
        Ok(password)
    }
}
