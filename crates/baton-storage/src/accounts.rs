//! Workspaces, bots, agents and agent sessions.

use std::collections::HashMap;

use crate::db::params;
use crate::records::translations_json;
use crate::row::Cols as _;
use baton_domain::entity::Entity;
use baton_domain::ids::{AgentId, BotId, WorkspaceId};
use baton_domain::schedule::Schedule;
use baton_domain::texts::Translations;
use jiff::Timestamp;

use crate::records::{AGENT_COLUMNS, agent_from_row};
use crate::row::{id, ts};
use crate::time::{format_timestamp, now};
use crate::writer::Tx;
use crate::{Agent, AgentStatus, Bot, HandoffSettings, Role, Store, StoreError, Workspace};
use baton_domain::ids::ConversationId;

/// A new agent account. The password is already hashed by the caller.
#[derive(Clone, Debug)]
pub struct NewAgent {
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub max_chats: u32,
}

/// What an admin changes about an agent; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct AgentChanges {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub max_chats: Option<u32>,
    pub active: Option<bool>,
}

/// The first admin of a new workspace. The password is already hashed by the caller.
#[derive(Clone, Debug)]
pub struct NewAdmin {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
}

impl NewAdmin {
    /// The conversations the first admin takes at once (changeable later, like any agent's).
    pub const MAX_CHATS: u32 = 5;
}

/// A logged-in agent's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub agent: Agent,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl Store {
    /// Whether the database holds no workspace yet (first run).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row = self
            .reader
            .fetch_one("SELECT COUNT(*) AS n FROM workspaces", params![])
            .await?;
        Ok(row.int("n")? == 0)
    }

    pub async fn create_workspace(&self, name: &str) -> Result<Workspace, StoreError> {
        let workspace = Workspace {
            id: WorkspaceId::new(),
            name: name.to_owned(),
            created_at: now(),
        };
        self.writer
            .write(move |c| {
                insert_workspace(c, &workspace)?;
                Ok(workspace)
            })
            .await
    }

    /// A new workspace with its first bot (at `handoff`'s settings, always open) and its first
    /// admin, all or nothing: an email already taken creates nothing.
    pub async fn create_workspace_with_admin(
        &self,
        name: &str,
        bot: (&str, &str, &HandoffSettings),
        admin: &NewAdmin,
    ) -> Result<(Workspace, Bot, Agent), StoreError> {
        let workspace = Workspace {
            id: WorkspaceId::new(),
            name: name.to_owned(),
            created_at: now(),
        };
        let (bot_name, greeting, handoff) = bot;
        let bot = Bot {
            id: BotId::new(),
            workspace_id: workspace.id,
            name: bot_name.to_owned(),
            greeting: greeting.to_owned(),
            handoff: handoff.clone(),
            schedule: Schedule::always_open_utc(),
            persona: String::new(),
            archived_at: None,
            translations: Translations::default(),
        };
        let triggers = triggers_json(handoff)?;
        let agent = Agent {
            id: AgentId::new(),
            workspace_id: workspace.id,
            email: admin.email.clone(),
            display_name: admin.display_name.clone(),
            role: Role::Admin,
            max_chats: NewAdmin::MAX_CHATS,
            status: AgentStatus::Online,
            active: true,
        };
        let password_hash = admin.password_hash.clone();
        self.writer
            .write(move |c| {
                insert_workspace(c, &workspace)?;
                insert_bot(c, &bot, &triggers)?;
                insert_agent(c, &agent, &password_hash)?;
                Ok((workspace, bot, agent))
            })
            .await
    }

    pub async fn workspaces(&self) -> Result<Vec<Workspace>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT id, name, created_at FROM workspaces ORDER BY id",
                params![],
            )
            .await?;
        rows.iter().map(|r| Workspace::from_row(r)).collect()
    }

    pub async fn create_bot(
        &self,
        workspace_id: WorkspaceId,
        name: &str,
        greeting: &str,
        handoff: &HandoffSettings,
    ) -> Result<Bot, StoreError> {
        let bot = Bot {
            id: BotId::new(),
            workspace_id,
            name: name.to_owned(),
            greeting: greeting.to_owned(),
            handoff: handoff.clone(),
            schedule: Schedule::always_open_utc(),
            persona: String::new(),
            archived_at: None,
            translations: Translations::default(),
        };
        let triggers = triggers_json(handoff)?;
        self.writer
            .write(move |c| {
                insert_bot(c, &bot, &triggers)?;
                Ok(bot)
            })
            .await
    }

    /// The bot, from the bot cache when it was read within [`BOT_CACHE_TTL`] (every start of
    /// a conversation and every bot turn needs it; it changes rarely). A change made through
    /// this store is seen at once.
    pub async fn bot(&self, bot_id: BotId) -> Result<Bot, StoreError> {
        let generation = match self.bots.get(bot_id) {
            Ok(bot) => return Ok(bot),
            Err(generation) => generation,
        };
        let sql = format!("SELECT {} FROM bots WHERE id = $1", Bot::COLUMNS);
        let row = self
            .reader
            .fetch_optional(&sql, params![bot_id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Bot))?;
        let bot = Bot::from_row(&row)?;
        self.bots.put(&bot, generation);
        Ok(bot)
    }

    /// Runs `change` (an UPDATE of the bot's row) in a write; a bot that does not exist is
    /// [`StoreError::NotFound`]. The cached copy is dropped either way.
    async fn change_bot(
        &self,
        bot_id: BotId,
        change: impl FnOnce(&Tx<'_>) -> Result<u64, StoreError> + Clone + Send + 'static,
    ) -> Result<(), StoreError> {
        let written = self
            .writer
            .write(move |c| match change(c)? {
                0 => Err(StoreError::NotFound(Entity::Bot)),
                _ => Ok(()),
            })
            .await;
        self.bots.forget(bot_id);
        written
    }

    /// The workspace's bots, archived ones left out.
    pub async fn bots(&self, workspace_id: WorkspaceId) -> Result<Vec<Bot>, StoreError> {
        self.bots_of(workspace_id, false).await
    }

    /// The workspace's bots; with `archived`, archived ones too.
    pub async fn bots_of(
        &self,
        workspace_id: WorkspaceId,
        archived: bool,
    ) -> Result<Vec<Bot>, StoreError> {
        let sql = format!(
            "SELECT {} FROM bots WHERE workspace_id = $1 AND ($2 OR archived_at IS NULL) \
             ORDER BY id",
            Bot::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![workspace_id.to_string(), archived])
            .await?;
        rows.iter().map(|r| Bot::from_row(r)).collect()
    }

    /// A new bot with a persona, at the default handoff settings, always open, with no knowledge.
    pub async fn add_bot(
        &self,
        workspace_id: WorkspaceId,
        name: &str,
        greeting: &str,
        persona: &str,
    ) -> Result<Bot, StoreError> {
        let handoff = HandoffSettings::default();
        let bot = Bot {
            id: BotId::new(),
            workspace_id,
            name: name.to_owned(),
            greeting: greeting.to_owned(),
            handoff: handoff.clone(),
            schedule: Schedule::always_open_utc(),
            persona: persona.to_owned(),
            archived_at: None,
            translations: Translations::default(),
        };
        let triggers = triggers_json(&handoff)?;
        self.writer
            .write(move |c| {
                insert_bot(c, &bot, &triggers)?;
                Ok(bot)
            })
            .await
    }

    /// Changes a bot's name, greeting, persona or translations (those given); returns the bot as
    /// it is now. The translations given replace all of the bot's.
    pub async fn update_bot(
        &self,
        bot_id: BotId,
        name: Option<&str>,
        greeting: Option<&str>,
        persona: Option<&str>,
        translations: Option<&Translations>,
    ) -> Result<Bot, StoreError> {
        let (name, greeting, persona) = (
            name.map(str::to_owned),
            greeting.map(str::to_owned),
            persona.map(str::to_owned),
        );
        let translations = translations.map(translations_json).transpose()?;
        self.change_bot(bot_id, move |c| {
            c.execute(
                "UPDATE bots SET name = COALESCE($1, name), greeting = COALESCE($2, greeting), \
                 persona = COALESCE($3, persona), updated_at = $4, \
                 text_translations = COALESCE($6, text_translations) WHERE id = $5",
                params![
                    name,
                    greeting,
                    persona,
                    format_timestamp(now()),
                    bot_id.to_string(),
                    translations
                ],
            )
        })
        .await?;
        self.bot(bot_id).await
    }

    /// Archives a bot: it leaves the bot list and its widget opens nothing new; its
    /// conversations and tickets stay. Archiving twice changes nothing.
    pub async fn archive_bot(&self, bot_id: BotId) -> Result<(), StoreError> {
        self.change_bot(bot_id, move |c| {
            c.execute(
                "UPDATE bots SET archived_at = COALESCE(archived_at, $1), updated_at = $1 \
                     WHERE id = $2",
                params![format_timestamp(now()), bot_id.to_string()],
            )
        })
        .await
    }

    /// Replaces the bot's handoff settings, and its translations when given (all of them).
    pub async fn update_handoff_settings(
        &self,
        bot_id: BotId,
        handoff: &HandoffSettings,
        translations: Option<&Translations>,
    ) -> Result<(), StoreError> {
        self.write_handoff(bot_id, handoff, None, translations)
            .await
    }

    /// Replaces the bot's handoff settings and schedule together, and its translations when given
    /// (one statement: all or nothing).
    pub async fn update_handoff(
        &self,
        bot_id: BotId,
        handoff: &HandoffSettings,
        schedule: &Schedule,
        translations: Option<&Translations>,
    ) -> Result<(), StoreError> {
        self.write_handoff(bot_id, handoff, Some(schedule), translations)
            .await
    }

    /// Writes the handoff settings, and the schedule and translations when given (one statement:
    /// all or nothing).
    async fn write_handoff(
        &self,
        bot_id: BotId,
        handoff: &HandoffSettings,
        schedule: Option<&Schedule>,
        translations: Option<&Translations>,
    ) -> Result<(), StoreError> {
        let translations = translations.map(translations_json).transpose()?;
        let schedule_text = schedule
            .map(|s| serde_json::to_string(s.document()))
            .transpose()
            .map_err(|_| StoreError::Corrupt("schedule"))?;
        let triggers = triggers_json(handoff)?;
        let h = handoff.clone();
        self.change_bot(bot_id, move |c| {
            c.execute(
                "UPDATE bots SET handoff_enabled = $1, handoff_instruction = $2, \
                         offline_message = $3, accept_timeout_seconds = $4, \
                         ai_helps_while_waiting = $5, lead_capture_enabled = $6, \
                         lead_capture_prompt = $7, lead_capture_success = $8, ai_triggers = $9, \
                         schedule = COALESCE($10, schedule), updated_at = $11, \
                         freshchat_enabled = $13, \
                         text_translations = COALESCE($14, text_translations) WHERE id = $12",
                params![
                    h.enabled,
                    h.instruction,
                    h.offline_message,
                    i64::from(h.accept_timeout_seconds),
                    h.ai_helps_while_waiting,
                    h.lead_capture_enabled,
                    h.lead_capture_prompt,
                    h.lead_capture_success,
                    triggers,
                    schedule_text,
                    format_timestamp(now()),
                    bot_id.to_string(),
                    h.freshchat_enabled,
                    translations,
                ],
            )
        })
        .await
    }

    /// Replaces the bot's availability schedule.
    pub async fn update_schedule(
        &self,
        bot_id: BotId,
        schedule: &Schedule,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(schedule.document())
            .map_err(|_| StoreError::Corrupt("schedule"))?;
        self.change_bot(bot_id, move |c| {
            c.execute(
                "UPDATE bots SET schedule = $1, updated_at = $2 WHERE id = $3",
                params![text, format_timestamp(now()), bot_id.to_string()],
            )
        })
        .await
    }

    pub async fn create_agent(&self, new: &NewAgent) -> Result<Agent, StoreError> {
        let agent = Agent {
            id: AgentId::new(),
            workspace_id: new.workspace_id,
            email: new.email.clone(),
            display_name: new.display_name.clone(),
            role: new.role,
            max_chats: new.max_chats,
            status: AgentStatus::Online,
            active: true,
        };
        let password_hash = new.password_hash.clone();
        self.writer
            .write(move |c| {
                insert_agent(c, &agent, &password_hash)?;
                Ok(agent)
            })
            .await
    }

    pub async fn agent(&self, agent_id: AgentId) -> Result<Agent, StoreError> {
        let sql = format!("SELECT {} FROM agents WHERE id = $1", AGENT_COLUMNS);
        let row = self
            .reader
            .fetch_optional(&sql, params![agent_id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Agent))?;
        agent_from_row(&row)
    }

    /// Replaces the agent's password (already hashed) and ends their sessions, all but
    /// `keep_session` (the token hash of the session that made the change, when an agent
    /// changes their own).
    pub async fn set_password(
        &self,
        agent_id: AgentId,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), StoreError> {
        let password_hash = password_hash.to_owned();
        let keep_session = keep_session.map(str::to_owned);
        self.writer
            .write(move |c| {
                let changed = c.execute(
                    "UPDATE agents SET password_hash = $1 WHERE id = $2",
                    params![password_hash, agent_id.to_string()],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(Entity::Agent));
                }
                c.execute(
                    "DELETE FROM sessions WHERE agent_id = $1 \
                     AND ($2 IS NULL OR token_hash <> $2)",
                    params![agent_id.to_string(), keep_session],
                )?;
                Ok(())
            })
            .await
    }

    /// The agent with this email and their password hash, for login.
    pub async fn agent_for_login(
        &self,
        email: &str,
    ) -> Result<Option<(Agent, String)>, StoreError> {
        let sql = format!(
            "SELECT {}, password_hash FROM agents WHERE email = $1",
            AGENT_COLUMNS
        );
        let row = self.reader.fetch_optional(&sql, params![email]).await?;
        row.map(|row| Ok((agent_from_row(&row)?, row.text("password_hash")?)))
            .transpose()
    }

    pub async fn agents(&self, workspace_id: WorkspaceId) -> Result<Vec<Agent>, StoreError> {
        let sql = format!(
            "SELECT {} FROM agents WHERE workspace_id = $1 ORDER BY display_name, id",
            AGENT_COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![workspace_id.to_string()])
            .await?;
        rows.iter().map(|r| agent_from_row(r)).collect()
    }

    pub async fn set_agent_status(
        &self,
        agent_id: AgentId,
        status: AgentStatus,
    ) -> Result<(), StoreError> {
        self.writer
            .write(move |c| {
                c.execute(
                    "UPDATE agents SET status = $1 WHERE id = $2",
                    params![status.as_str(), agent_id.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    /// Changes an agent's name, role, capacity or active state, within their workspace
    /// (`NotFound` otherwise). Refused with `Conflict` when it would leave the workspace without
    /// an active admin; the workspace's admin rows are locked while that is checked, so two
    /// admins demoting each other at once cannot both succeed. Deactivating ends every session of
    /// the agent.
    pub async fn update_agent(
        &self,
        workspace_id: WorkspaceId,
        agent_id: AgentId,
        changes: AgentChanges,
    ) -> Result<Agent, StoreError> {
        self.writer
            .write(move |c| {
                let admins_sql = format!(
                    "SELECT id FROM agents WHERE workspace_id = $1 AND role = 'admin' \
                     AND active ORDER BY id{}",
                    c.dialect().for_update()
                );
                let admins: Vec<AgentId> =
                    c.query(&admins_sql, params![workspace_id.to_string()], |r| {
                        crate::row::id(r, "id")
                    })?;
                let sql = format!(
                    "SELECT {} FROM agents WHERE id = $1 AND workspace_id = $2{}",
                    AGENT_COLUMNS,
                    c.dialect().for_update()
                );
                let mut agent = c
                    .query_opt(
                        &sql,
                        params![agent_id.to_string(), workspace_id.to_string()],
                        |r| agent_from_row(r),
                    )?
                    .ok_or(StoreError::NotFound(Entity::Agent))?;
                if let Some(name) = changes.display_name {
                    agent.display_name = name;
                }
                if let Some(role) = changes.role {
                    agent.role = role;
                }
                if let Some(max_chats) = changes.max_chats {
                    agent.max_chats = max_chats;
                }
                let was_active = agent.active;
                if let Some(active) = changes.active {
                    agent.active = active;
                }
                let admins_after = admins.iter().filter(|id| **id != agent.id).count()
                    + usize::from(agent.role == Role::Admin && agent.active);
                if admins_after == 0 {
                    return Err(StoreError::Conflict(
                        "the workspace needs at least one active admin; make another agent an \
                         admin first",
                    ));
                }
                c.execute(
                    "UPDATE agents SET display_name = $1, role = $2, max_chats = $3, active = $4 \
                     WHERE id = $5",
                    params![
                        agent.display_name.clone(),
                        agent.role.as_str(),
                        i64::from(agent.max_chats),
                        agent.active,
                        agent.id.to_string(),
                    ],
                )?;
                if was_active && !agent.active {
                    c.execute(
                        "DELETE FROM sessions WHERE agent_id = $1",
                        params![agent.id.to_string()],
                    )?;
                }
                Ok(agent)
            })
            .await
    }

    /// The conversations that agents no longer active still own (normally none: a deactivation
    /// hands them back to the queue at once; this finds any left by a crash in between).
    pub async fn conversations_of_inactive_agents(
        &self,
    ) -> Result<Vec<(ConversationId, AgentId)>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT c.id, c.owner_agent_id FROM agents a \
                 JOIN conversations c ON c.owner_agent_id = a.id AND c.owner_state = 'human' \
                 WHERE NOT a.active",
                params![],
            )
            .await?;
        rows.iter()
            .map(|row| Ok((id(row, "id")?, id(row, "owner_agent_id")?)))
            .collect()
    }

    /// The conversations an agent owns right now.
    pub async fn conversations_owned_by(
        &self,
        agent_id: AgentId,
    ) -> Result<Vec<ConversationId>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT id FROM conversations WHERE owner_state = 'human' \
                 AND owner_agent_id = $1 ORDER BY updated_at",
                params![agent_id.to_string()],
            )
            .await?;
        rows.iter().map(|row| id(row, "id")).collect()
    }

    /// How many conversations each agent of the workspace owns right now.
    pub async fn active_chats(
        &self,
        workspace_id: WorkspaceId,
    ) -> Result<HashMap<AgentId, u32>, StoreError> {
        let rows = self
            .reader
            .fetch_all(
                "SELECT owner_agent_id, COUNT(*) AS n FROM conversations \
             WHERE workspace_id = $1 AND owner_state = 'human' GROUP BY owner_agent_id",
                params![workspace_id.to_string()],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let n: i64 = row.int("n")?;
                Ok((
                    id(row, "owner_agent_id")?,
                    u32::try_from(n).unwrap_or(u32::MAX),
                ))
            })
            .collect()
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        agent_id: AgentId,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let token_hash = token_hash.to_owned();
        let csrf_token = csrf_token.to_owned();
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO sessions (token_hash, agent_id, csrf_token, created_at, \
                     expires_at) VALUES ($1, $2, $3, $4, $5)",
                    params![
                        token_hash,
                        agent_id.to_string(),
                        csrf_token,
                        format_timestamp(now()),
                        format_timestamp(expires_at),
                    ],
                )?;
                Ok(())
            })
            .await
    }

    /// The live session for this token hash; expired sessions are not returned.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let sql = format!(
            "SELECT {}, s.csrf_token, s.expires_at FROM sessions s JOIN agents a ON a.id = s.agent_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active",
            AGENT_COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let row = self
            .reader
            .fetch_optional(&sql, params![token_hash, format_timestamp(now())])
            .await?;
        row.map(|row| {
            Ok(Session {
                agent: agent_from_row(&row)?,
                csrf_token: row.text("csrf_token")?,
                expires_at: ts(&row, "expires_at")?,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let token_hash = token_hash.to_owned();
        self.writer
            .write(move |c| {
                c.execute(
                    "DELETE FROM sessions WHERE token_hash = $1",
                    params![token_hash],
                )?;
                Ok(())
            })
            .await
    }

    /// Removes expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self) -> Result<u64, StoreError> {
        self.writer
            .write(move |c| {
                let removed = c.execute(
                    "DELETE FROM sessions WHERE expires_at <= $1",
                    params![format_timestamp(now())],
                )?;
                Ok(removed)
            })
            .await
    }
}

fn insert_workspace(c: &Tx<'_>, workspace: &Workspace) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)",
        params![
            workspace.id.to_string(),
            workspace.name,
            format_timestamp(workspace.created_at),
        ],
    )?;
    Ok(())
}

fn insert_bot(c: &Tx<'_>, bot: &Bot, triggers: &str) -> Result<(), StoreError> {
    let h = &bot.handoff;
    c.execute(
        "INSERT INTO bots (id, workspace_id, name, greeting, handoff_enabled, \
         handoff_instruction, offline_message, accept_timeout_seconds, ai_helps_while_waiting, \
         lead_capture_enabled, lead_capture_prompt, lead_capture_success, ai_triggers, \
         freshchat_enabled, created_at, updated_at, persona, text_translations) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $14, $14, $16, $17)",
        params![
            bot.id.to_string(),
            bot.workspace_id.to_string(),
            bot.name,
            bot.greeting,
            h.enabled,
            h.instruction,
            h.offline_message,
            i64::from(h.accept_timeout_seconds),
            h.ai_helps_while_waiting,
            h.lead_capture_enabled,
            h.lead_capture_prompt,
            h.lead_capture_success,
            triggers,
            format_timestamp(now()),
            h.freshchat_enabled,
            bot.persona,
            translations_json(&bot.translations)?,
        ],
    )?;
    Ok(())
}

/// Inserts the account; an email already in use is [`StoreError::Taken`].
fn insert_agent(c: &Tx<'_>, agent: &Agent, password_hash: &str) -> Result<(), StoreError> {
    let inserted = c.execute(
        "INSERT INTO agents (id, workspace_id, email, display_name, password_hash, role, \
         max_chats, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            agent.id.to_string(),
            agent.workspace_id.to_string(),
            agent.email,
            agent.display_name,
            password_hash,
            agent.role.as_str(),
            i64::from(agent.max_chats),
            agent.status.as_str(),
            format_timestamp(now()),
        ],
    );
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if err.is_unique_violation() => Err(StoreError::Taken("email")),
        Err(err) => Err(err),
    }
}

fn triggers_json(handoff: &HandoffSettings) -> Result<String, StoreError> {
    serde_json::to_string(&handoff.ai_triggers).map_err(|_| StoreError::Corrupt("ai_triggers"))
}
