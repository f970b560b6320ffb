//! Conversations and their log: creation, appending under the ownership rules, reading history.

use std::sync::LazyLock;

use crate::db::{Dialect, params};
use crate::row::Cols;
use baton_domain::entity::Entity;
use baton_domain::ids::{BotId, ConversationId, MessageId, WorkspaceId};
use baton_domain::language::Language;
use baton_domain::message::{AuthorKind, MessageKind};
use baton_domain::ownership::{self, Command, Owner, Speaker};

use crate::time::{format_timestamp, now};
use crate::writer::{Pending, Tx};
use crate::{Agent, Conversation, ConversationSummary, Message, NewMessage, Store, StoreError};

/// The result of appending a message.
#[derive(Clone, Debug)]
pub struct Appended {
    /// The stored message (the earlier one when this was a retry).
    pub message: Message,
    /// The same client id was stored before: nothing new was written.
    pub replayed: bool,
    /// A visitor message reopened a closed conversation: the system entry recording it.
    pub reopened: Option<Message>,
    /// The conversation after the append.
    pub conversation: Conversation,
}

/// Which conversations to list.
#[derive(Clone, Copy, Debug, Default)]
pub struct ConversationFilter {
    /// Only conversations in this owner state (`ai`, `waiting`, `human`, `closed`).
    pub state: Option<&'static str>,
    pub limit: u32,
}

impl Store {
    /// Starts a conversation owned by the AI. `visitor_token_hash` is the hash of the visitor's
    /// bearer token; the token itself is never stored.
    pub async fn create_conversation(
        &self,
        workspace_id: WorkspaceId,
        bot_id: BotId,
        visitor_token_hash: &str,
        visitor_name: Option<&str>,
    ) -> Result<Conversation, StoreError> {
        self.create_conversation_for(
            workspace_id,
            bot_id,
            visitor_token_hash,
            visitor_name,
            None,
            Language::English,
        )
        .await
    }

    /// A new conversation; with `known`, of a visitor the site vouched for (their name, when
    /// given, is the conversation's visitor name); `lang` is the visitor's language.
    pub async fn create_conversation_for(
        &self,
        workspace_id: WorkspaceId,
        bot_id: BotId,
        visitor_token_hash: &str,
        visitor_name: Option<&str>,
        known: Option<&crate::KnownVisitor>,
        lang: Language,
    ) -> Result<Conversation, StoreError> {
        let at = now();
        let visitor_name = known
            .and_then(|k| k.name.as_deref())
            .or(visitor_name)
            .map(str::to_owned);
        let conversation = Conversation {
            id: ConversationId::new(),
            workspace_id,
            bot_id,
            visitor_name,
            owner: Owner::Ai,
            owner_version: 0,
            last_seq: 0,
            created_at: at,
            updated_at: at,
            lang,
        };
        let token_hash = visitor_token_hash.to_owned();
        let known = known.cloned();
        self.writer
            .write(move |c| {
                c.execute(
                    "INSERT INTO conversations (id, workspace_id, bot_id, visitor_token_hash, \
                     visitor_name, owner_state, owner_agent_id, owner_version, last_seq, \
                     created_at, updated_at, visitor_external_id, visitor_email, visitor_verified, \
                     lang) \
                     VALUES ($1, $2, $3, $4, $5, 'ai', NULL, 0, 0, $6, $6, $7, $8, $9, $10)",
                    params![
                        conversation.id.to_string(),
                        conversation.workspace_id.to_string(),
                        conversation.bot_id.to_string(),
                        token_hash,
                        conversation.visitor_name,
                        format_timestamp(at),
                        known.as_ref().map(|k| k.external_id.clone()),
                        known.as_ref().and_then(|k| k.email.clone()),
                        known.is_some(),
                        conversation.lang.code().to_owned(),
                    ],
                )?;
                Ok(conversation)
            })
            .await
    }

    pub async fn conversation(&self, id: ConversationId) -> Result<Conversation, StoreError> {
        let sql = format!(
            "SELECT {} FROM conversations c WHERE c.id = $1",
            Conversation::COLUMNS
        );
        let row = self
            .reader
            .fetch_optional(&sql, params![id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Conversation))?;
        Conversation::from_row(&row)
    }

    /// The hash of the visitor token that grants access to this conversation.
    pub async fn visitor_token_hash(&self, id: ConversationId) -> Result<String, StoreError> {
        let row = self
            .reader
            .fetch_optional(
                "SELECT visitor_token_hash FROM conversations WHERE id = $1",
                params![id.to_string()],
            )
            .await?
            .ok_or(StoreError::NotFound(Entity::Conversation))?;
        row.text("visitor_token_hash")
    }

    /// Lists a workspace's conversations, most recently active first.
    pub async fn conversations(
        &self,
        workspace_id: WorkspaceId,
        filter: ConversationFilter,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE c.workspace_id = $1 AND ($2 IS NULL OR c.owner_state = $2) \
             ORDER BY c.updated_at DESC, c.id DESC LIMIT $3"
        );
        let rows = self
            .reader
            .fetch_all(
                &sql,
                params![
                    workspace_id.to_string(),
                    filter.state,
                    i64::from(filter.limit.clamp(1, 500))
                ],
            )
            .await?;
        rows.iter().map(|r| summary_from_row(r)).collect()
    }

    /// One conversation as the panel lists it.
    pub async fn conversation_summary(
        &self,
        id: ConversationId,
    ) -> Result<ConversationSummary, StoreError> {
        let sql = format!("{SUMMARY_SELECT} WHERE c.id = $1");
        let row = self
            .reader
            .fetch_optional(&sql, params![id.to_string()])
            .await?
            .ok_or(StoreError::NotFound(Entity::Conversation))?;
        summary_from_row(&row)
    }

    /// The message stored with this client id, if any (to answer a retry without side effects).
    pub async fn message_by_client_id(
        &self,
        conversation_id: ConversationId,
        client_id: &str,
    ) -> Result<Option<Message>, StoreError> {
        let sql = format!(
            "SELECT {} FROM messages WHERE conversation_id = $1 AND client_id = $2",
            Message::COLUMNS
        );
        let row = self
            .reader
            .fetch_optional(&sql, params![conversation_id.to_string(), client_id])
            .await?;
        row.as_ref().map(|r| Message::from_row(r)).transpose()
    }

    /// Log entries with `seq > after`, in order, at most `limit`.
    pub async fn messages(
        &self,
        conversation_id: ConversationId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Message>, StoreError> {
        let sql = format!(
            "SELECT {} FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            Message::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(
                &sql,
                params![conversation_id.to_string(), after, i64::from(limit)],
            )
            .await?;
        rows.iter().map(|r| Message::from_row(r)).collect()
    }

    /// The last `count` log entries, oldest first.
    pub async fn last_messages(
        &self,
        conversation_id: ConversationId,
        count: u32,
    ) -> Result<Vec<Message>, StoreError> {
        let sql = format!(
            "SELECT {} FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2",
            Message::COLUMNS
        );
        let rows = self
            .reader
            .fetch_all(&sql, params![conversation_id.to_string(), i64::from(count)])
            .await?;
        let mut messages = rows
            .iter()
            .map(|r| Message::from_row(r))
            .collect::<Result<Vec<_>, _>>()?;
        messages.reverse();
        Ok(messages)
    }

    /// Appends a message if `speaker` may post in the conversation's current state, checked in the
    /// same transaction as the write, so the AI never talks over a human.
    ///
    /// A message with a `client_id` that was stored before is not written again: the stored one
    /// is returned with `replayed: true` (even if the owner changed since). A visitor message
    /// reopens a closed conversation.
    pub async fn append_message(
        &self,
        conversation_id: ConversationId,
        speaker: Speaker,
        new: NewMessage,
        ai_helps_while_waiting: bool,
    ) -> Result<Appended, StoreError> {
        // `append` makes every check before its first write: no savepoint needed.
        self.writer
            .submit_checked(move |c| {
                append(
                    c,
                    conversation_id,
                    speaker,
                    new,
                    ai_helps_while_waiting,
                    None,
                )
            })?
            .await
    }

    /// Queues a message from `agent`, who must own the conversation, and returns what resolves
    /// once it is stored. A conversation of another workspace is `NotFound`, checked in the
    /// write itself (no read before it). An agent's socket queues each message as it arrives (so
    /// they are stored in the order sent) and acknowledges each as its batch commits.
    pub fn submit_agent_message(
        &self,
        agent: &Agent,
        conversation_id: ConversationId,
        new: NewMessage,
    ) -> Result<Pending<Appended>, StoreError> {
        let (speaker, workspace_id) = (Speaker::Agent(agent.id), agent.workspace_id);
        self.writer.submit_checked(move |c| {
            append(c, conversation_id, speaker, new, true, Some(workspace_id))
        })
    }
}

/// Every check (conversation, workspace, an earlier message with this client id, who may post)
/// comes before the first write, so a refusal writes nothing (see `Writer::submit_checked`).
pub(crate) fn append(
    c: &Tx<'_>,
    conversation_id: ConversationId,
    speaker: Speaker,
    new: NewMessage,
    ai_helps_while_waiting: bool,
    workspace_id: Option<WorkspaceId>,
) -> Result<Appended, StoreError> {
    let (mut conversation, replayed_seq) =
        load_for_append(c, conversation_id, new.client_id.as_deref())?;
    if workspace_id.is_some_and(|w| w != conversation.workspace_id) {
        return Err(StoreError::NotFound(Entity::Conversation));
    }
    // The idempotency check comes before any write, so a retry costs one indexed lookup and
    // never burns a sequence number.
    if let Some(seq) = replayed_seq {
        let message = stored_at(c, conversation_id, seq)?;
        // A key names one author's message: another author reusing it gets an error, never
        // someone else's message.
        if message.author_kind != new.author_kind || message.author_agent_id != new.author_agent_id
        {
            return Err(StoreError::Conflict(
                "this client_id was already used for another author's message",
            ));
        }
        return Ok(Appended {
            message,
            replayed: true,
            reopened: None,
            conversation,
        });
    }
    ownership::may_post(conversation.owner, speaker, ai_helps_while_waiting)?;
    let mut reopened = None;
    if speaker == Speaker::Visitor {
        let transition = ownership::apply(conversation.owner, Command::VisitorMessage)?;
        if transition.to != transition.from {
            set_owner(c, &mut conversation, transition.to)?;
            let note = NewMessage::system(
                MessageKind::Reopened,
                baton_domain::notes::reopened(conversation.lang),
                serde_json::json!({}),
            );
            reopened = Some(insert_message(c, &mut conversation, note)?);
        }
    }
    let message = insert_message(c, &mut conversation, new)?;
    Ok(Appended {
        message,
        replayed: false,
        reopened,
        conversation,
    })
}

/// The conversation as it is inside the write and the sequence number of an earlier message with
/// this client id: every append runs it.
///
/// SQLite has one writer, so one statement reads both. PostgreSQL must lock the conversation
/// first and look for the client id in a statement of its own: a statement that waited for the
/// lock still reads with the snapshot it started with, and would miss a message with this client
/// id that another node committed while it waited.
fn load_for_append(
    c: &Tx<'_>,
    id: ConversationId,
    client_id: Option<&str>,
) -> Result<(Conversation, Option<i64>), StoreError> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {}, (SELECT m.seq FROM messages m WHERE m.conversation_id = c.id \
             AND m.client_id = $2) AS replayed_seq FROM conversations c WHERE c.id = $1",
            Conversation::COLUMNS
        )
    });
    match c.dialect() {
        Dialect::Sqlite => c
            .query_opt(&SQL, params![id.to_string(), client_id], |r| {
                Ok((Conversation::from_row(r)?, r.opt_int("replayed_seq")?))
            })?
            .ok_or(StoreError::NotFound(Entity::Conversation)),
        Dialect::Postgres => {
            let conversation = load_conversation(c, id)?;
            let replayed = match client_id {
                Some(client_id) => c.query_opt(
                    "SELECT seq FROM messages WHERE conversation_id = $1 AND client_id = $2",
                    params![id.to_string(), client_id],
                    |r| r.int("seq"),
                )?,
                None => None,
            };
            Ok((conversation, replayed))
        }
    }
}

/// The stored entry at `seq` (a replayed append's original).
fn stored_at(c: &Tx<'_>, conversation_id: ConversationId, seq: i64) -> Result<Message, StoreError> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {} FROM messages WHERE conversation_id = $1 AND seq = $2",
            Message::COLUMNS
        )
    });
    c.query_opt(&SQL, params![conversation_id.to_string(), seq], |r| {
        Message::from_row(r)
    })?
    .ok_or(StoreError::NotFound(Entity::Message))
}

const SUMMARY_SELECT: &str = "SELECT c.id, c.workspace_id, c.bot_id, c.visitor_name, \
     c.owner_state, c.owner_agent_id, c.owner_version, c.last_seq, c.created_at, c.updated_at, c.lang, \
     c.visitor_verified, c.visitor_email, \
     b.name AS bot_name, a.display_name AS owner_name, \
     (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'text' \
      ORDER BY m.seq DESC LIMIT 1) AS last_text \
     FROM conversations c JOIN bots b ON b.id = c.bot_id LEFT JOIN agents a ON a.id = c.owner_agent_id";

fn summary_from_row(row: &dyn Cols) -> Result<ConversationSummary, StoreError> {
    Ok(ConversationSummary {
        conversation: Conversation::from_row(row)?,
        bot_name: row.text("bot_name")?,
        owner_name: row.opt_text("owner_name")?,
        last_text: row.opt_text("last_text")?,
        visitor_verified: row.flag("visitor_verified")?,
        visitor_email: row.opt_text("visitor_email")?,
    })
}

/// The conversation as it is inside the current write transaction.
pub(crate) fn load_conversation(
    c: &Tx<'_>,
    id: ConversationId,
) -> Result<Conversation, StoreError> {
    // Built once: every write to a conversation runs it. On PostgreSQL the row stays locked
    // until the commit, so another node's write to this conversation waits for this one.
    static SQL: LazyLock<[String; 2]> = LazyLock::new(|| {
        let select = format!(
            "SELECT {} FROM conversations c WHERE c.id = $1",
            Conversation::COLUMNS
        );
        [select.clone(), format!("{select} FOR UPDATE")]
    });
    let sql = match c.dialect() {
        Dialect::Sqlite => &SQL[0],
        Dialect::Postgres => &SQL[1],
    };
    c.query_opt(sql, params![id.to_string()], |r| Conversation::from_row(r))?
        .ok_or(StoreError::NotFound(Entity::Conversation))
}

/// Changes the owner, provided nobody changed it since `conversation` was read.
pub(crate) fn set_owner(
    c: &Tx<'_>,
    conversation: &mut Conversation,
    owner: Owner,
) -> Result<(), StoreError> {
    let at = now();
    let changed = c
        .execute("UPDATE conversations SET owner_state = $1, owner_agent_id = $2, \
             owner_version = owner_version + 1, updated_at = $3 WHERE id = $4 AND owner_version = $5", params![
            owner.state_name(),
            owner.agent().map(|a| a.to_string()),
            format_timestamp(at),
            conversation.id.to_string(),
            conversation.owner_version,
        ])?;
    if changed == 0 {
        return Err(StoreError::Conflict(
            "the conversation changed at the same moment; try again",
        ));
    }
    conversation.owner = owner;
    conversation.owner_version += 1;
    conversation.updated_at = at;
    Ok(())
}

/// Takes the next sequence number (checking the conversation did not change since it was read
/// in this transaction) and inserts the message.
pub(crate) fn insert_message(
    c: &Tx<'_>,
    conversation: &mut Conversation,
    new: NewMessage,
) -> Result<Message, StoreError> {
    let at = now();
    let created_at = format_timestamp(at);
    let seq = conversation.last_seq + 1;
    let conversation_id = conversation.id.to_string();
    let message = Message {
        id: MessageId::new(),
        conversation_id: conversation.id,
        seq,
        kind: new.kind,
        author_kind: new.author_kind,
        author_agent_id: new.author_agent_id,
        author_name: new.author_name,
        body: new.body,
        client_id: new.client_id,
        data: new.data,
        created_at: at,
    };
    let columns = params![
        message.id.to_string(),
        conversation_id,
        message.seq,
        message.kind.as_str(),
        message.author_kind.as_str(),
        message.author_agent_id.map(|a| a.to_string()),
        message.author_name,
        message.body,
        message.client_id,
        message.data.as_ref().map(|d| d.to_string()),
        created_at,
        conversation.owner_version,
        conversation.last_seq,
    ];
    let stored = match c.dialect() {
        // One round trip to the server instead of two.
        Dialect::Postgres => {
            c.execute(
                "WITH taken AS (UPDATE conversations SET last_seq = $3, updated_at = $11 \
                 WHERE id = $2 AND owner_version = $12 AND last_seq = $13 RETURNING id) \
                 INSERT INTO messages (id, conversation_id, seq, kind, author_kind, \
                 author_agent_id, author_name, body, client_id, data, created_at) \
                 SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM taken",
                columns,
            )? == 1
        }
        Dialect::Sqlite => {
            c.execute(
                "UPDATE conversations SET last_seq = $3, updated_at = $11 \
                 WHERE id = $2 AND owner_version = $12 AND last_seq = $13",
                columns,
            )? == 1
                && c.execute(
                    "INSERT INTO messages (id, conversation_id, seq, kind, author_kind, \
                     author_agent_id, author_name, body, client_id, data, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    &columns[..11],
                )? == 1
        }
    };
    if !stored {
        return Err(StoreError::Conflict(
            "the conversation changed at the same moment; try again",
        ));
    }
    conversation.last_seq = seq;
    conversation.updated_at = at;
    c.inserted(&message);
    // Agent messages carry the agent's id, except FreshChat agents' replies (no Baton account),
    // which carry FreshChat's message id as their client id.
    debug_assert!(
        message.author_kind != AuthorKind::Agent
            || message.author_agent_id.is_some()
            || message
                .client_id
                .as_deref()
                .is_some_and(|c| c.starts_with("freshchat:"))
    );
    Ok(message)
}
