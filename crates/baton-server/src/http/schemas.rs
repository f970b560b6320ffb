//! The schemas several routers answer or are called with: the documentation of the views in
//! `crate::views` (conversations, messages, handoffs) and of the requests the widget and the panel
//! share. These types only describe JSON for the OpenAPI document (`openapi.rs`); nothing is
//! serialised through them, and the API tests check every live answer against them.

use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, ObjectBuilder, Schema, Type};

use super::openapi::{Id, Timestamp};

/// Who owns the conversation: `ai` (the bot answers), `waiting` (a handoff waits for an agent),
/// `human` (an agent owns it; the AI is paused), `lead_capture` (nobody could take it live, or the
/// visitor asked to leave details: the visitor is asked for contact details for a ticket and the
/// bot is silent; giving or declining them goes back to `ai`, and an agent may still join),
/// `freshchat` (the handoff was routed into the workspace's FreshChat: its agents answer from there
/// and the AI is silent; Live Chat agents can read it but not join or write; FreshChat resolving it
/// closes it, and FreshChat reopening it gives it back), `closed` (resolved; a visitor message
/// reopens it with the AI).
#[derive(ToSchema)]
#[schema(as = ConversationState)]
#[allow(dead_code)]
pub enum ConversationStateDoc {
    #[schema(rename = "ai")]
    Ai,
    #[schema(rename = "waiting")]
    Waiting,
    #[schema(rename = "human")]
    Human,
    #[schema(rename = "lead_capture")]
    LeadCapture,
    #[schema(rename = "freshchat")]
    Freshchat,
    #[schema(rename = "closed")]
    Closed,
}

/// `text` for messages people and bots write; the others are system events recorded in the log,
/// which the visitor sees too. The lead capture ones: `lead_requested` asks the visitor for contact
/// details (the bot's `lead_capture_prompt`; `data.form` prefills the widget's form), `lead_retry`
/// says what was wrong with details typed in the chat, `lead_captured` confirms the ticket (the
/// bot's `lead_capture_success`), `lead_declined` confirms the visitor is back with the AI.
/// `attachment` is a file the visitor or an agent sent (its text is the file name).
#[derive(ToSchema)]
#[schema(as = MessageKind)]
#[allow(dead_code)]
pub enum MessageKindDoc {
    #[schema(rename = "text")]
    Text,
    #[schema(rename = "handoff_requested")]
    HandoffRequested,
    #[schema(rename = "handoff_offline")]
    HandoffOffline,
    #[schema(rename = "handoff_cancelled")]
    HandoffCancelled,
    #[schema(rename = "handoff_expired")]
    HandoffExpired,
    #[schema(rename = "agent_joined")]
    AgentJoined,
    #[schema(rename = "agent_left")]
    AgentLeft,
    #[schema(rename = "handed_back")]
    HandedBack,
    #[schema(rename = "reopened")]
    Reopened,
    #[schema(rename = "lead_requested")]
    LeadRequested,
    #[schema(rename = "lead_retry")]
    LeadRetry,
    #[schema(rename = "lead_captured")]
    LeadCaptured,
    #[schema(rename = "lead_declined")]
    LeadDeclined,
    #[schema(rename = "attachment")]
    Attachment,
}

#[derive(ToSchema)]
#[schema(as = AuthorKind)]
#[allow(dead_code)]
pub enum AuthorKindDoc {
    #[schema(rename = "visitor")]
    Visitor,
    #[schema(rename = "bot")]
    Bot,
    #[schema(rename = "agent")]
    Agent,
    #[schema(rename = "system")]
    System,
}

/// What started the handoff. An agent joining an AI conversation is recorded as `other`.
#[derive(ToSchema)]
#[schema(as = Trigger)]
#[allow(dead_code)]
pub enum TriggerDoc {
    #[schema(rename = "user_request")]
    UserRequest,
    #[schema(rename = "frustration")]
    Frustration,
    #[schema(rename = "complex_issue")]
    ComplexIssue,
    #[schema(rename = "sales_opportunity")]
    SalesOpportunity,
    #[schema(rename = "other")]
    Other,
}

/// `routed`: the handoff went to the workspace's FreshChat (see `ConversationState`); it ends when
/// FreshChat resolves the conversation, or goes `offline` when FreshChat refused it.
#[derive(ToSchema)]
#[schema(as = HandoffStatus)]
#[allow(dead_code)]
pub enum HandoffStatusDoc {
    #[schema(rename = "waiting")]
    Waiting,
    #[schema(rename = "accepted")]
    Accepted,
    #[schema(rename = "ended")]
    Ended,
    #[schema(rename = "cancelled")]
    Cancelled,
    #[schema(rename = "expired")]
    Expired,
    #[schema(rename = "offline")]
    Offline,
    #[schema(rename = "routed")]
    Routed,
}

#[derive(ToSchema)]
#[schema(as = OfflineReason)]
#[allow(dead_code)]
pub enum OfflineReasonDoc {
    #[schema(rename = "handoff_disabled")]
    HandoffDisabled,
    #[schema(rename = "never_available")]
    NeverAvailable,
    #[schema(rename = "schedule_closed")]
    ScheduleClosed,
    #[schema(rename = "nobody_available")]
    NobodyAvailable,
    #[schema(rename = "nobody_accepted")]
    NobodyAccepted,
}

/// One entry of a conversation's log.
#[derive(ToSchema)]
#[schema(as = Message)]
#[allow(dead_code)]
pub struct MessageDoc {
    id: Id,
    conversation_id: Id,
    /// Per-conversation sequence number, from 1, without gaps. Resume from the last one seen.
    #[schema(minimum = 1)]
    seq: i64,
    kind: MessageKindDoc,
    author_kind: AuthorKindDoc,
    /// The visitor's name, the agent's display name (also on agent system events), or null.
    #[schema(required = true)]
    author_name: Option<String>,
    /// Plain text, never HTML: escape it when rendering.
    text: String,
    /// The sender's idempotency key; null for bot and system messages.
    #[schema(required = true)]
    client_id: Option<String>,
    /// Details of a system event (e.g. `handoff_id`, `agent_id`, `trigger`, `reason`); null for
    /// text messages. `lead_requested`: `{"form": {"email": "", "name": <the visitor's name or
    /// null>, "description": <the visitor's first and latest messages, at most 2000 characters>}}`;
    /// `lead_captured`: `{"ticket_id", "email"}`; `lead_retry` and `lead_declined`: `{}`;
    /// `attachment`: `{"attachment_id", "name", "content_type", "size"}` (download with `GET
    /// /api/v1/attachments/{attachment_id}`).
    #[schema(value_type = Option<Object>, required = true)]
    data: Option<serde_json::Value>,
    created_at: Timestamp,
}

#[derive(ToSchema)]
#[schema(as = MessageEnvelope)]
#[allow(dead_code)]
pub struct MessageEnvelopeDoc {
    message: MessageDoc,
}

#[derive(ToSchema)]
#[schema(as = MessagePage)]
#[allow(dead_code)]
pub struct MessagePageDoc {
    messages: Vec<MessageDoc>,
    /// The conversation's latest sequence number.
    #[schema(minimum = 0)]
    last_seq: i64,
}

/// One request for a person, from its trigger to its end.
#[derive(ToSchema)]
#[schema(as = Handoff)]
#[allow(dead_code)]
pub struct HandoffDoc {
    id: Id,
    conversation_id: Id,
    bot_id: Id,
    trigger: TriggerDoc,
    /// Why, in words (for agents).
    reason: String,
    /// A summary of the conversation so far, when the AI wrote one.
    #[schema(required = true)]
    summary: Option<String>,
    status: HandoffStatusDoc,
    /// Why the handoff could not be live (status `offline` or `expired`).
    #[schema(required = true)]
    offline_reason: Option<OfflineReasonDoc>,
    /// The agent who accepted it.
    #[schema(required = true)]
    agent_id: Option<Id>,
    requested_at: Timestamp,
    /// When a waiting handoff expires if nobody accepts it (the bot's accept timeout).
    #[schema(required = true)]
    deadline_at: Option<Timestamp>,
    #[schema(required = true)]
    accepted_at: Option<Timestamp>,
    #[schema(required = true)]
    ended_at: Option<Timestamp>,
    /// When nobody had accepted at half the accept timeout and the handoff was rung again (panels
    /// mark it urgent).
    #[schema(required = true)]
    escalated_at: Option<Timestamp>,
}

/// Whether a live handoff would be offered at `at`, and why not.
#[derive(ToSchema)]
#[schema(as = Availability)]
#[allow(dead_code)]
pub struct AvailabilityDoc {
    at: Timestamp,
    /// A person can be reached: handoff enabled, schedule open, an agent online with spare
    /// capacity.
    live: bool,
    /// Why not, when `live` is false.
    #[schema(required = true)]
    reason: Option<OfflineReasonDoc>,
    schedule_open: bool,
    never_available: bool,
    handoff_enabled: bool,
    /// When the schedule next opens or closes, to the second; null when it does not change within
    /// 366 days.
    #[schema(required = true)]
    next_change: Option<Timestamp>,
}

/// Local wall-clock times in the schedule's time zone. An `end` at or before `start` runs past
/// midnight into the next date; `00:00`–`24:00` is the whole day; an empty slot (start = end) is
/// refused.
#[derive(ToSchema)]
#[schema(as = ScheduleSlot)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ScheduleSlotDoc {
    /// `HH:MM`, 00:00–23:59.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    start: String,
    /// `HH:MM`, 00:00–24:00.
    #[schema(pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    end: String,
}

#[derive(ToSchema)]
#[schema(as = ScheduleDay)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ScheduleDayDoc {
    /// A disabled day has no slots; its slots are kept (and still validated) for when it is enabled
    /// again.
    #[schema(default = json!(true), required = false)]
    enabled: bool,
    /// Slots that must not overlap.
    #[schema(schema_with = day_slots_schema, required = false)]
    slots: Vec<ScheduleSlotDoc>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ScheduleDocumentOverridesItemDoc {
    /// `YYYY-MM-DD`, a date in the schedule's time zone.
    #[schema(format = Date)]
    date: String,
    /// The slots that start on this date; none = closed all day.
    #[schema(schema_with = override_slots_schema, required = false)]
    slots: Vec<ScheduleSlotDoc>,
}

/// When a live handoff can be offered: weekly slots in an IANA time zone, overrides by date, or
/// never. DST-correct: a wall-clock time skipped by a spring-forward gap is never open; one
/// repeated by a fall-back is open twice.
#[derive(ToSchema)]
#[schema(as = ScheduleDocument)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ScheduleDocumentDoc {
    /// IANA time zone name, e.g. `Europe/Berlin` (any letter case; stored canonically).
    #[schema(example = json!("Europe/Berlin"))]
    timezone: String,
    /// When true, live chat is never offered, whatever the slots say.
    #[schema(default = json!(false), required = false)]
    never_available: bool,
    /// Day name → that day's rule. A missing day has no slots. A day given twice is refused.
    #[schema(schema_with = weekly_schema, required = false)]
    weekly: std::collections::BTreeMap<String, ScheduleDayDoc>,
    /// Dates whose slots replace the weekly rule (holidays, special openings); each date at most
    /// once.
    #[schema(schema_with = overrides_schema, required = false)]
    overrides: Vec<ScheduleDocumentOverridesItemDoc>,
}

#[derive(ToSchema)]
#[schema(as = SendMessageRequest)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SendMessageRequestDoc {
    /// The client's idempotency key, unique within the conversation: 1 to 64 of letters, digits,
    /// `-`, `_`, `.`, `:`. Reuse it on retries of the same message. A key already used for another
    /// author's message in the conversation is 409 `conflict`.
    #[schema(schema_with = client_id_schema)]
    client_id: String,
    /// At most `max_message_bytes` UTF-8 bytes (default 4096, configurable; see
    /// `PublicBot.max_message_bytes`), measured as sent: longer is 413. Control characters other
    /// than newline and tab are removed; text that is then blank is 400.
    #[schema(schema_with = message_text_schema)]
    text: String,
}

/// New tickets are `open`. `pending_internal`: waiting on the team; `pending_visitor`: waiting on
/// the visitor; `resolved`: done. Any status may follow any other; all but `resolved` count as
/// open.
#[derive(ToSchema)]
#[schema(as = TicketStatus)]
#[allow(dead_code)]
pub enum TicketStatusDoc {
    #[schema(rename = "open")]
    Open,
    #[schema(rename = "pending_internal")]
    PendingInternal,
    #[schema(rename = "pending_visitor")]
    PendingVisitor,
    #[schema(rename = "resolved")]
    Resolved,
}

fn day_slots_schema() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(ArrayItems::RefOrSchema(Box::new(
                crate::http::openapi::component("ScheduleSlot"),
            )))
            .max_items(Some(baton_domain::schedule::MAX_SLOTS_PER_DAY))
            .default(Some(serde_json::json!([])))
            .description(Some("Slots that must not overlap."))
            .build(),
    )
}

fn weekly_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(crate::http::openapi::component("ScheduleDay")))
            .property_names(Some(weekday_names()))
            .default(Some(serde_json::json!({})))
            .description(Some(
                "Day name → that day's rule. A missing day has no slots. A day given twice is \
                 refused.",
            ))
            .build(),
    )
}

fn override_slots_schema() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(ArrayItems::RefOrSchema(Box::new(
                crate::http::openapi::component("ScheduleSlot"),
            )))
            .max_items(Some(baton_domain::schedule::MAX_SLOTS_PER_DAY))
            .default(Some(serde_json::json!([])))
            .description(Some(
                "The slots that start on this date; none = closed all day.",
            ))
            .build(),
    )
}

fn overrides_schema() -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(ArrayItems::RefOrSchema(Box::new(
                <ScheduleDocumentOverridesItemDoc as utoipa::PartialSchema>::schema(),
            )))
            .max_items(Some(baton_domain::schedule::MAX_OVERRIDES))
            .default(Some(serde_json::json!([])))
            .description(Some(
                "Dates whose slots replace the weekly rule (holidays, special openings); each \
                 date at most once.",
            ))
            .build(),
    )
}

fn client_id_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(baton_domain::message::ClientMessageId::MAX_LEN))
            .pattern(Some(format!(
                "^[A-Za-z0-9._:-]{{1,{}}}$",
                baton_domain::message::ClientMessageId::MAX_LEN
            )))
            .description(Some(
                "The client's idempotency key, unique within the conversation: 1 to 64 of \
                 letters, digits, `-`, `_`, `.`, `:`. Reuse it on retries of the same message. A key already used \
                 for another author's message in the conversation is 409 `conflict`.",
            ))
            .build(),
    )
}

fn message_text_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .description(Some(
                "At most `max_message_bytes` UTF-8 bytes (default 4096, configurable; see \
                 `PublicBot.max_message_bytes`), measured as sent: longer is 413. Control characters other than \
                 newline and tab are removed; text that is then blank is 400.",
            ))
            .extensions(Some(
                utoipa::openapi::extensions::ExtensionsBuilder::new()
                    .add(
                        "x-maxBytes",
                        crate::config::Limits::default().max_message_bytes,
                    )
                    .build(),
            ))
            .build(),
    )
}

/// The day names a weekly schedule is keyed by.
fn weekday_names() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]))
        .build()
}
