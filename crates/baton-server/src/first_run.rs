//! First run: on an empty database, create a demo workspace, a demo bot with handoff enabled and
//! an admin agent with a random password, shown once.

use baton_storage::{HandoffSettings, NewAgent, Role, Store};

use crate::secrets;

/// What first run created, for printing.
pub struct Seeded {
    pub workspace_name: String,
    pub bot_id: String,
    pub admin_email: String,
    pub admin_password: String,
}

pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.baton";

/// Seeds the demo data if the database is empty; `None` when it already held data.
pub async fn seed_if_empty(store: &Store) -> anyhow::Result<Option<Seeded>> {
    if !store.is_empty().await? {
        return Ok(None);
    }
    let workspace = store.create_workspace("Demo workspace").await?;
    let bot = store
        .create_bot(
            workspace.id,
            "Demo assistant",
            "Hi! I'm the demo assistant. Ask me anything, or ask for a person at any time.",
            &HandoffSettings::default(),
        )
        .await?;
    let password = secrets::new_token()[..20].to_owned();
    let to_hash = password.clone();
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&to_hash))
        .await?
        .map_err(anyhow::Error::msg)?;
    store
        .create_agent(&NewAgent {
            workspace_id: workspace.id,
            email: DEMO_ADMIN_EMAIL.into(),
            display_name: "Admin".into(),
            password_hash: hash,
            role: Role::Admin,
            max_chats: 5,
        })
        .await?;
    Ok(Some(Seeded {
        workspace_name: workspace.name,
        bot_id: bot.id.to_string(),
        admin_email: DEMO_ADMIN_EMAIL.into(),
        admin_password: password,
    }))
}
