//! Handoff analytics: reads a workspace's (or one bot's) handoffs requested in a time range, page
//! by page in `(requested_at, id)` order, for the figures of `baton_domain::analytics` and for the
//! CSV export; and counts the lead-capture offers and tickets of the range.
//!
//! Read-only: nothing here writes, except the seeding helpers of the `testing` feature, which
//! store handoffs and log entries at chosen instants for tests and benchmarks. The figures
//! themselves (percentiles, outcomes, hours in each bot's zone) are computed by the domain.

use std::collections::HashMap;

use baton_domain::analytics::{HandoffFacts, Outcome, Summary, Tally};
use baton_domain::handoff::{OfflineReason, Trigger};
use baton_domain::ids::{AgentId, BotId, HandoffId, WorkspaceId};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::db::{Row, Value, params};
use crate::records::parse_offline_reason;
use crate::row::{Cols, id, opt_id, opt_ts, ts};
use crate::time::format_timestamp;
use crate::{HandoffStatus, Store, StoreError};

/// Which handoffs: those of a workspace (or one of its bots) requested in `[from, to)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyticsRange {
    pub workspace_id: WorkspaceId,
    pub bot_id: Option<BotId>,
    pub from: Timestamp,
    pub to: Timestamp,
}

/// The figures of a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffAnalytics {
    pub summary: Summary,
    /// How many times a visitor was asked for contact details (the offline path's lead capture,
    /// after an offline or expired handoff or when the visitor asked to leave a ticket).
    pub lead_capture_offers: u64,
    /// Tickets created in the range.
    pub tickets_created: u64,
}

/// One handoff as the CSV export lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffExportRow {
    pub id: HandoffId,
    pub bot_name: String,
    pub trigger: Trigger,
    pub reason: String,
    pub status: HandoffStatus,
    pub offline_reason: Option<OfflineReason>,
    pub agent_name: Option<String>,
    pub requested_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
}

/// Where the next page of an export starts: after this handoff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportCursor {
    requested_at: String,
    id: String,
}

/// Handoffs read per query while summing up a range: bounded memory whatever the range.
const SUMMARY_PAGE: i64 = 5000;

/// The columns and joins of a page of handoffs; `$1` workspace, `$2`/`$3` the range (its start
/// moved up to the cursor's instant), `$4`/`$5` the cursor, `$6` the page size, `$7` the bot when
/// filtered.
fn page_sql(columns: &str, joins: &str, by_bot: bool) -> String {
    // With a bot, its own index serves the range; otherwise the workspace's.
    let scope = if by_bot {
        "h.bot_id = $7 AND h.workspace_id = $1"
    } else {
        "h.workspace_id = $1"
    };
    format!(
        "SELECT {columns} FROM handoffs h{joins} WHERE {scope} \
         AND h.requested_at >= $2 AND h.requested_at < $3 \
         AND (h.requested_at, h.id) > ($4, $5) \
         ORDER BY h.requested_at, h.id LIMIT $6"
    )
}

/// The summary's columns: each handoff's facts, with the accepting agent's first message after
/// accepting, and whether the handoff ended with that agent resolving the conversation (the
/// `agent_left` entry written with it names the handoff in its data).
const SUMMARY_COLUMNS: &str = "h.id, h.bot_id, h.trigger_kind, h.status, h.offline_reason, \
    h.agent_id, h.requested_at, h.deadline_at, h.accepted_at, h.ended_at, \
    CASE WHEN h.agent_id IS NULL OR h.accepted_at IS NULL THEN NULL ELSE \
      (SELECT MIN(m.created_at) FROM messages m WHERE m.conversation_id = h.conversation_id \
       AND m.author_kind = 'agent' AND m.author_agent_id = h.agent_id \
       AND m.created_at >= h.accepted_at \
       AND (h.ended_at IS NULL OR m.created_at <= h.ended_at)) END AS first_response_at, \
    CASE WHEN h.status = 'ended' AND EXISTS (SELECT 1 FROM messages m \
       WHERE m.conversation_id = h.conversation_id AND m.kind = 'agent_left' \
       AND m.data LIKE '%' || h.id || '%') THEN 1 ELSE 0 END AS resolved";

const EXPORT_COLUMNS: &str = "h.id, h.trigger_kind, h.reason, h.status, h.offline_reason, \
    h.requested_at, h.accepted_at, h.ended_at, b.name AS bot_name, a.display_name AS agent_name";

const EXPORT_JOINS: &str =
    " JOIN bots b ON b.id = h.bot_id LEFT JOIN agents a ON a.id = h.agent_id";

impl Store {
    /// The figures of the handoffs in `range`, with the range's lead-capture offers and tickets.
    /// Hours of the day are read in each handoff's bot's time zone (its schedule's).
    pub async fn handoff_analytics(
        &self,
        range: &AnalyticsRange,
    ) -> Result<HandoffAnalytics, StoreError> {
        let zones: HashMap<BotId, TimeZone> = self
            .bots_of(range.workspace_id, true)
            .await?
            .into_iter()
            .map(|bot| (bot.id, bot.schedule.time_zone().clone()))
            .collect();
        let sql = page_sql(SUMMARY_COLUMNS, "", range.bot_id.is_some());
        let utc = TimeZone::UTC;
        let mut tally = Tally::default();
        let mut after = (String::new(), String::new());
        loop {
            let rows = self
                .reader
                .fetch_all(&sql, &page_params(range, &after, SUMMARY_PAGE))
                .await?;
            for row in &rows {
                let (bot_id, facts) = summary_facts(row)?;
                let zone = zones.get(&bot_id).unwrap_or(&utc);
                tally.add(&facts, zone);
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == SUMMARY_PAGE => {
                    after = (last.text("requested_at")?, last.text("id")?);
                }
                _ => break,
            }
        }
        let (from, to) = (format_timestamp(range.from), format_timestamp(range.to));
        // Offers: the few `lead_requested` entries of the range first (their partial index), then
        // their conversations; CROSS JOIN keeps SQLite from walking every conversation of the
        // workspace instead (PostgreSQL plans it as an inner join).
        let (offers_sql, tickets_sql) = if range.bot_id.is_some() {
            (
                "SELECT COUNT(*) AS n FROM messages m CROSS JOIN conversations c \
                 WHERE c.id = m.conversation_id AND m.kind = 'lead_requested' \
                 AND m.created_at >= $2 AND m.created_at < $3 AND c.workspace_id = $1 \
                 AND c.bot_id = $4",
                "SELECT COUNT(*) AS n FROM tickets WHERE workspace_id = $1 \
                 AND created_at >= $2 AND created_at < $3 AND bot_id = $4",
            )
        } else {
            (
                "SELECT COUNT(*) AS n FROM messages m CROSS JOIN conversations c \
                 WHERE c.id = m.conversation_id AND m.kind = 'lead_requested' \
                 AND m.created_at >= $2 AND m.created_at < $3 AND c.workspace_id = $1",
                "SELECT COUNT(*) AS n FROM tickets WHERE workspace_id = $1 \
                 AND created_at >= $2 AND created_at < $3",
            )
        };
        let mut params = vec![
            Value::Text(range.workspace_id.to_string()),
            Value::Text(from),
            Value::Text(to),
        ];
        if let Some(bot) = range.bot_id {
            params.push(Value::Text(bot.to_string()));
        }
        let offers = self.reader.fetch_one(offers_sql, &params).await?.int("n")?;
        let tickets = self
            .reader
            .fetch_one(tickets_sql, &params)
            .await?
            .int("n")?;
        Ok(HandoffAnalytics {
            summary: tally.finish(),
            lead_capture_offers: u64::try_from(offers).unwrap_or(0),
            tickets_created: u64::try_from(tickets).unwrap_or(0),
        })
    }

    /// Up to `limit` handoffs of `range` after `after` (from the start when `None`), oldest
    /// request first, and the cursor of the next page (`None` after the last page).
    pub async fn handoff_export_page(
        &self,
        range: &AnalyticsRange,
        after: Option<&ExportCursor>,
        limit: u32,
    ) -> Result<(Vec<HandoffExportRow>, Option<ExportCursor>), StoreError> {
        let sql = page_sql(EXPORT_COLUMNS, EXPORT_JOINS, range.bot_id.is_some());
        let start = after
            .map(|c| (c.requested_at.clone(), c.id.clone()))
            .unwrap_or_default();
        let limit = limit.max(1);
        let rows = self
            .reader
            .fetch_all(&sql, &page_params(range, &start, i64::from(limit)))
            .await?;
        let next = match rows.last() {
            Some(last) if rows.len() == limit as usize => Some(ExportCursor {
                requested_at: last.text("requested_at")?,
                id: last.text("id")?,
            }),
            _ => None,
        };
        let rows = rows.iter().map(export_row).collect::<Result<Vec<_>, _>>()?;
        Ok((rows, next))
    }
}

fn page_params(range: &AnalyticsRange, after: &(String, String), limit: i64) -> Vec<Value> {
    // The lower bound is the cursor's instant once past the start, so that every page seeks the
    // index to where the last one ended instead of skipping the rows already read.
    let from = format_timestamp(range.from).max(after.0.clone());
    let mut params = params![
        range.workspace_id.to_string(),
        from,
        format_timestamp(range.to),
        after.0,
        after.1,
        limit,
    ]
    .to_vec();
    if let Some(bot) = range.bot_id {
        params.push(Value::Text(bot.to_string()));
    }
    params
}

fn trigger(row: &dyn Cols) -> Result<Trigger, StoreError> {
    row.text("trigger_kind")?
        .parse()
        .map_err(|_| StoreError::Corrupt("handoffs.trigger_kind"))
}

fn offline_reason(row: &dyn Cols) -> Result<Option<OfflineReason>, StoreError> {
    row.opt_text("offline_reason")?
        .map(|r| parse_offline_reason(&r).ok_or(StoreError::Corrupt("handoffs.offline_reason")))
        .transpose()
}

fn summary_facts(row: &Row) -> Result<(BotId, HandoffFacts), StoreError> {
    let status = row.text("status")?;
    let offline_reason = offline_reason(row)?;
    let outcome =
        Outcome::classify(&status, offline_reason).ok_or(StoreError::Corrupt("handoffs.status"))?;
    let agent_id: Option<AgentId> = opt_id(row, "agent_id")?;
    let facts = HandoffFacts {
        trigger: trigger(row)?,
        outcome,
        agent_id,
        queued: row.opt_text("deadline_at")?.is_some(),
        requested_at: ts(row, "requested_at")?,
        accepted_at: opt_ts(row, "accepted_at")?,
        ended_at: opt_ts(row, "ended_at")?,
        first_response_at: opt_ts(row, "first_response_at")?,
        resolved: row.int("resolved")? == 1,
    };
    Ok((id(row, "bot_id")?, facts))
}

fn export_row(row: &Row) -> Result<HandoffExportRow, StoreError> {
    let status = row.text("status")?;
    Ok(HandoffExportRow {
        id: id(row, "id")?,
        bot_name: row.text("bot_name")?,
        trigger: trigger(row)?,
        reason: row.text("reason")?,
        status: HandoffStatus::parse(&status).ok_or(StoreError::Corrupt("handoffs.status"))?,
        offline_reason: offline_reason(row)?,
        agent_name: row.opt_text("agent_name")?,
        requested_at: ts(row, "requested_at")?,
        accepted_at: opt_ts(row, "accepted_at")?,
        ended_at: opt_ts(row, "ended_at")?,
    })
}

#[cfg(feature = "testing")]
pub use seeding::SeededHandoff;

/// Stores history at chosen instants, for tests and benchmarks of the analytics.
#[cfg(feature = "testing")]
mod seeding {
    use baton_domain::message::MessageKind;

    use super::*;
    use crate::{Handoff, NewMessage};

    /// A handoff as it should be stored, with log entries of its conversation at chosen
    /// instants (an agent's messages, `agent_left` when resolved, `lead_requested` offers).
    #[derive(Clone, Debug)]
    pub struct SeededHandoff {
        pub handoff: Handoff,
        pub messages: Vec<(NewMessage, Timestamp)>,
        /// A ticket left in the conversation at this instant (the lead captured).
        pub ticket_at: Option<Timestamp>,
    }

    impl Store {
        /// Writes the handoffs exactly as given, creating each conversation they name that does
        /// not exist yet (owned by the AI), and appends their log entries with the given
        /// instants. Nothing is published. For tests and benchmarks only.
        pub async fn seed_handoffs(&self, seeds: Vec<SeededHandoff>) -> Result<(), StoreError> {
            self.writer
                .write(move |c| {
                    for seed in &seeds {
                        let h = &seed.handoff;
                        let created = format_timestamp(h.requested_at);
                        c.execute(
                            "INSERT INTO conversations (id, workspace_id, bot_id, \
                             visitor_token_hash, visitor_name, owner_state, owner_agent_id, \
                             owner_version, last_seq, created_at, updated_at) \
                             VALUES ($1, $2, $3, 'seeded', NULL, 'ai', NULL, 0, 0, $4, $4) \
                             ON CONFLICT (id) DO NOTHING",
                            params![
                                h.conversation_id.to_string(),
                                h.workspace_id.to_string(),
                                h.bot_id.to_string(),
                                created,
                            ],
                        )?;
                        crate::handoffs::insert_handoff(c, h)?;
                        if let Some(at) = seed.ticket_at {
                            c.execute(
                                "INSERT INTO tickets (id, workspace_id, bot_id, conversation_id, \
                                 contact_email, contact_name, subject, description, trigger_kind, \
                                 reason, status, priority, assignee_id, client_key, created_at, \
                                 updated_at) VALUES ($1, $2, $3, $4, 'lead@example.com', NULL, \
                                 'Seeded', 'Seeded', $5, $6, 'open', 'medium', NULL, $1, $7, $7)",
                                params![
                                    uuid::Uuid::now_v7().to_string(),
                                    h.workspace_id.to_string(),
                                    h.bot_id.to_string(),
                                    h.conversation_id.to_string(),
                                    h.trigger.as_str(),
                                    h.reason,
                                    format_timestamp(at),
                                ],
                            )?;
                        }
                        if seed.messages.is_empty() {
                            continue;
                        }
                        let mut seq = c.query_one(
                            "SELECT last_seq FROM conversations WHERE id = $1",
                            params![h.conversation_id.to_string()],
                            |row| row.int("last_seq"),
                        )?;
                        for (message, at) in &seed.messages {
                            seq += 1;
                            let data = match message.kind {
                                // As the server writes it: the handoff it ends.
                                MessageKind::AgentLeft => match &message.data {
                                    Some(data) if !data.is_null() => Some(data.clone()),
                                    _ => Some(serde_json::json!({
                                        "handoff_id": h.id, "agent_id": h.agent_id,
                                        "resolved": true
                                    })),
                                },
                                _ => message.data.clone(),
                            };
                            c.execute(
                                "INSERT INTO messages (id, conversation_id, seq, kind, \
                                 author_kind, author_agent_id, author_name, body, client_id, \
                                 data, created_at) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                                params![
                                    baton_domain::ids::MessageId::new().to_string(),
                                    h.conversation_id.to_string(),
                                    seq,
                                    message.kind.as_str(),
                                    message.author_kind.as_str(),
                                    message.author_agent_id.map(|a| a.to_string()),
                                    message.author_name,
                                    message.body,
                                    message.client_id,
                                    data.map(|d| d.to_string()),
                                    format_timestamp(*at),
                                ],
                            )?;
                        }
                        c.execute(
                            "UPDATE conversations SET last_seq = $1 WHERE id = $2",
                            params![seq, h.conversation_id.to_string()],
                        )?;
                    }
                    Ok(())
                })
                .await
        }
    }
}
