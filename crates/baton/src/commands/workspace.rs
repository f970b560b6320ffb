//! `baton workspace create` and `baton workspace list`: one installation serving several teams or
//! clients, each in a workspace of its own (agents see only theirs).

use std::path::Path;

use baton_domain::account::NewAccount;
use baton_server::secrets;
use baton_storage::{HandoffSettings, NewAdmin, StoreError};

/// The longest workspace name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

const FIRST_BOT_NAME: &str = "Assistant";
const FIRST_BOT_GREETING: &str = "Hi! How can I help? You can ask for a person at any time.";

/// Where the database is, as for `baton serve`.
pub struct Database<'a> {
    pub data_dir: &'a Path,
    pub database_url: Option<String>,
}

impl Database<'_> {
    async fn open(self) -> anyhow::Result<baton_storage::Store> {
        let mut config = baton_server::Config::new(self.data_dir);
        config.database_url = self.database_url;
        config.open_store().await
    }
}

/// Creates a workspace with its first bot (default settings) and its first admin, whose
/// one-time password is printed once.
pub async fn create(database: Database<'_>, name: &str, admin_email: &str) -> anyhow::Result<()> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty()
            && name.chars().count() <= MAX_NAME_CHARS
            && !name.chars().any(char::is_control),
        "--name: the workspace name must be 1 to {MAX_NAME_CHARS} characters, without control \
         characters"
    );
    let email = admin_email.trim().to_lowercase();
    let display_name = email.split('@').next().unwrap_or("Admin").to_owned();
    let password = secrets::new_token()[..20].to_owned();
    NewAccount::parse(&email, &display_name, &password, NewAdmin::MAX_CHATS)
        .map_err(|e| anyhow::anyhow!("--admin-email: {}", e.message))?;
    let store = database.open().await?;
    let to_hash = password.clone();
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&to_hash))
        .await?
        .map_err(anyhow::Error::msg)?;
    let created = store
        .create_workspace_with_admin(
            name,
            (
                FIRST_BOT_NAME,
                FIRST_BOT_GREETING,
                &HandoffSettings::default(),
            ),
            &NewAdmin {
                email,
                display_name,
                password_hash: hash,
            },
        )
        .await;
    store.close().await;
    let (workspace, bot, admin) = created.map_err(|e| match e {
        StoreError::Taken(_) => anyhow::anyhow!(
            "--admin-email: an account with this email already exists (emails are unique across \
             workspaces); nothing was created"
        ),
        other => other.into(),
    })?;
    println!("Created workspace {:?} ({}).", workspace.name, workspace.id);
    println!("  Bot:         {} ({})", bot.name, bot.id);
    println!("  Admin login: {}", admin.email);
    println!("  Password:    {password}   (shown once; keep it safe)");
    Ok(())
}

/// Lists the workspaces: id, creation date and name.
pub async fn list(database: Database<'_>) -> anyhow::Result<()> {
    let store = database.open().await?;
    let workspaces = store.workspaces().await;
    store.close().await;
    for w in workspaces? {
        println!(
            "{}  {}  {}",
            w.id,
            w.created_at.strftime("%Y-%m-%d"),
            w.name
        );
    }
    Ok(())
}
