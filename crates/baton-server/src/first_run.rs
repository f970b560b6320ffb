//! First run: on an empty database, create a demo workspace, a demo bot with handoff enabled and
//! an admin agent with a random password, shown once.

use baton_storage::{HandoffSettings, KnowledgeKind, NewAgent, Role, Store};

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
    // Processes starting together on one PostgreSQL database: one seeds, the others then find
    // it seeded. (The lock goes with the connection when this returns.)
    let _lock = store.lock("first-run").await?;
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
    for (question, answer) in DEMO_QA {
        store
            .add_knowledge(bot.id, KnowledgeKind::Qa, question, answer)
            .await?;
    }
    store
        .add_knowledge(bot.id, KnowledgeKind::Document, DEMO_DOC_TITLE, DEMO_DOC)
        .await?;
    let password = secrets::one_time_password();
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

/// The demo bot's knowledge: a small made-up shop, so the demo answers real questions.
const DEMO_QA: &[(&str, &str)] = &[
    (
        "How long does shipping take?",
        "Orders ship within 1 business day. Standard delivery takes 3–5 business days; express \
         takes 1–2.",
    ),
    (
        "How do I return an item?",
        "You can return any item within 30 days. Start the return from Orders › Return an item; \
         we email you a prepaid label.",
    ),
    (
        "How do I reset my password?",
        "Click \"Forgot password\" on the sign-in page and follow the link we email you. The link \
         is valid for one hour.",
    ),
    (
        "What payment methods do you accept?",
        "Visa, Mastercard, American Express, PayPal and bank transfer for business accounts.",
    ),
    (
        "Do you offer discounts for teams or businesses?",
        "Yes: business accounts with 10 or more seats get volume pricing. Ask for a person and our \
         sales team will prepare a quote.",
    ),
];

const DEMO_DOC_TITLE: &str = "Demo shop guide";

const DEMO_DOC: &str = "# Demo shop guide

## Opening hours
Our support team answers live chat Monday to Friday, 09:00–18:00 (Europe/Berlin).

## Order tracking
Every order has a tracking link in its confirmation email. Tracking updates can take up to \
24 hours to appear after the parcel ships.

## Warranty
All products carry a two-year warranty. Keep your order number: we ask for it when you claim.
";
