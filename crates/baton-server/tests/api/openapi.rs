//! The OpenAPI document served at `GET /api/v1/openapi.json` stays honest: it is valid OpenAPI
//! 3.1, it is derived from the routers (`http::documented_routes`: a route is declared together
//! with its documentation, so the server cannot serve an API route the document leaves out, which
//! the live server's 404 and 405 answers confirm here), every operation it documents exists on the
//! live server and is called at least once, its limits are the code's constants, and what the
//! server really answers fits the documented schemas (checked with the `jsonschema` crate).
//!
//! Documented on purpose: everything under `/api/` and `/healthz`. Left out on purpose: the web
//! UI pages and scripts of `assets.rs` (see [`UNDOCUMENTED_ASSETS`]) and the Swagger UI page at
//! `/api/docs` that shows the document.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use baton_storage::Role;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// The web UI's pages and scripts (assets.rs). They are not API and are deliberately absent from
/// the document; everything else, `/healthz` included, must be in it.
const UNDOCUMENTED_ASSETS: &[&str] = &[
    "/",
    "/widget.js",
    "/demo",
    "/panel",
    "/panel.css",
    "/editor",
    "/editor.css",
    "/favicon.svg",
    "/favicon.ico",
    "/ui/{*path}",
];

/// The method-router functions a route may use, and the document's operation keys.
const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace",
];

/// The document as the server builds it, from the routers.
fn document() -> Value {
    baton_server::http::openapi::document()
}

// ---- reading the document -----------------------------------------------------------------------

/// Every operation of the document: (path, METHOD) → operation.
fn operations(doc: &Value) -> BTreeMap<(String, String), Value> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if METHODS.contains(&method.as_str()) {
                ops.insert((path.clone(), method.to_uppercase()), op.clone());
            }
        }
    }
    ops
}

/// The schema of the query parameter `name` of `GET path`.
fn query_parameter(doc: &Value, path: &str, name: &str) -> Value {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("GET {path} has no parameters"))
        .iter()
        .find(|p| p["name"] == name && p["in"] == "query")
        .unwrap_or_else(|| panic!("GET {path} has no query parameter {name}"))["schema"]
        .clone()
}

/// Follows `$ref`s (local ones only) to the object they name.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(reference) = v.get("$ref").and_then(Value::as_str) else {
            return v;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("only local $refs are used: {reference}"));
        v = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {reference} points at nothing"));
    }
    panic!("a $ref cycle");
}

/// Every `$ref` anywhere in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "$ref" {
                    out.push(child.as_str().expect("$ref is a string").to_owned());
                } else {
                    refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| refs(c, out)),
        _ => {}
    }
}

/// The schema documented for a JSON response of an operation with this status.
fn response_schema<'a>(doc: &'a Value, op: &'a Value, status: u16) -> Option<&'a Value> {
    let response = resolve(doc, op["responses"].get(status.to_string())?);
    response
        .get("content")
        .and_then(|c| c.get("application/json"))
        .and_then(|m| m.get("schema"))
}

// ---- checking values against the document's schemas (the `jsonschema` crate) -------------------

/// A copy of `schema` where every object schema with `properties` refuses properties it does not
/// name (`unevaluatedProperties: false`), so a field added to a view without documenting it is
/// caught. The parts of an `allOf` are left open: their sum is what is closed.
fn strict(schema: &Value, in_all_of: bool) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let child = match (k.as_str(), v) {
                    ("allOf", Value::Array(parts)) => {
                        Value::Array(parts.iter().map(|p| strict(p, true)).collect())
                    }
                    // Examples and enumerations are values, not schemas.
                    ("example" | "examples" | "enum" | "const" | "default", _) => v.clone(),
                    _ => strict(v, false),
                };
                out.insert(k.clone(), child);
            }
            let open = ["additionalProperties", "unevaluatedProperties"]
                .iter()
                .any(|k| map.contains_key(*k));
            if map.contains_key("properties") && !open && !in_all_of {
                out.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            if map.contains_key("allOf") && !open && !in_all_of {
                out.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| strict(i, false)).collect()),
        other => other.clone(),
    }
}

/// The component schemas some `allOf` names: they are parts of a larger object, left open.
fn all_of_parts(doc: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, in_all_of: bool, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                if in_all_of
                    && let Some(name) = map
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    out.insert(name.to_owned());
                }
                for (k, child) in map {
                    if k == "allOf" {
                        for part in child.as_array().into_iter().flatten() {
                            walk(part, true, out);
                        }
                    } else {
                        walk(child, false, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, false, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(doc, false, &mut out);
    out
}

/// The document's components, strict (see [`strict`]) but for the parts of an `allOf`.
fn strict_components(doc: &Value) -> Value {
    let parts = all_of_parts(doc);
    let mut components = strict(&doc["components"], false);
    if let Some(schemas) = components["schemas"].as_object_mut() {
        for (name, schema) in schemas.iter_mut() {
            if parts.contains(name) {
                *schema = strict(&doc["components"]["schemas"][name], true);
            }
        }
    }
    components
}

/// Checks `v` against `schema`, one of the document's schemas whose `$ref`s point into the
/// document: the schema is validated as JSON Schema 2020-12 (OpenAPI 3.1's dialect) with the
/// document's components beside it, strictly (see [`strict`]).
fn validate(doc: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let mut root = strict(schema, false);
    if !root.is_object() {
        // `true`/`false` schemas.
        root = json!({ "allOf": [root] });
    }
    root["components"] = strict_components(doc);
    let validator = jsonschema::draft202012::new(&root)
        .unwrap_or_else(|e| panic!("{at}: the documented schema does not compile: {e}"));
    errors.extend(
        validator
            .iter_errors(v)
            .map(|e| format!("{at}{}: {e}", e.instance_path())),
    );
}

fn assert_fits(doc: &Value, schema: &Value, v: &Value, what: &str) {
    let mut errors = Vec::new();
    validate(doc, schema, v, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{what} does not fit its documented schema:\n  {}\nvalue: {v:#}",
        errors.join("\n  ")
    );
}

// ---- 1. the document itself --------------------------------------------------------------------

#[tokio::test]
async fn the_served_document_is_openapi_3_1_and_well_formed() {
    let app = spawn_app().await;
    let response = reqwest::get(format!("{}/api/v1/openapi.json", app.base))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let doc: Value = response
        .json()
        .await
        .expect("the served document parses as JSON");
    assert_eq!(
        doc,
        document(),
        "the server serves the document its routers make"
    );

    let version = doc["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3.1."), "OpenAPI 3.1.x, not {version}");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());

    let mut problems = Vec::new();
    let mut refs_found = Vec::new();
    refs(&doc, &mut refs_found);
    for reference in &refs_found {
        let pointer = reference.strip_prefix('#').unwrap_or("/not-local");
        if doc.pointer(pointer).is_none() {
            problems.push(format!("$ref {reference} points at nothing"));
        }
    }
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    let mut operation_ids = BTreeSet::new();
    for ((path, method), op) in operations(&doc) {
        let name = format!("{method} {path}");
        match op["operationId"].as_str() {
            Some(id) if !id.is_empty() => {
                if !operation_ids.insert(id.to_owned()) {
                    problems.push(format!("{name}: operationId {id} is used twice"));
                }
            }
            _ => problems.push(format!("{name}: no operationId")),
        }
        let responses = op["responses"].as_object();
        if responses.is_none_or(|r| r.is_empty()) {
            problems.push(format!("{name}: no responses"));
        }
        for (status, response) in responses.into_iter().flatten() {
            let valid_status = status == "default"
                || (status.len() == 3 && status.chars().all(|c| c.is_ascii_digit()));
            if !valid_status {
                problems.push(format!("{name}: odd response key {status}"));
            }
            let response = resolve(&doc, response);
            if !response["description"].is_string() {
                problems.push(format!("{name} {status}: no description"));
            }
            if status == "429" && response["headers"].get("Retry-After").is_none() {
                problems.push(format!("{name} 429: Retry-After is not documented"));
            }
            // Examples must fit their schemas.
            for (media, content) in response["content"].as_object().into_iter().flatten() {
                if let (Some(example), Some(schema)) =
                    (content.get("example"), content.get("schema"))
                {
                    let mut e = Vec::new();
                    validate(&doc, schema, example, "$", &mut e);
                    problems.extend(
                        e.into_iter()
                            .map(|e| format!("{name} {status} {media} example: {e}")),
                    );
                }
            }
        }
        if let Some(body) = op.get("requestBody") {
            for (media, content) in body["content"].as_object().into_iter().flatten() {
                if let (Some(example), Some(schema)) =
                    (content.get("example"), content.get("schema"))
                {
                    let mut e = Vec::new();
                    validate(&doc, schema, example, "$", &mut e);
                    problems.extend(
                        e.into_iter()
                            .map(|e| format!("{name} request {media} example: {e}")),
                    );
                }
            }
        }
        for requirement in op["security"].as_array().into_iter().flatten() {
            for scheme in requirement.as_object().unwrap().keys() {
                if !schemes.contains_key(scheme) {
                    problems.push(format!("{name}: unknown security scheme {scheme}"));
                }
            }
        }
        // Path parameters: exactly those of the template, required.
        let mut declared = BTreeSet::new();
        let path_level = doc["paths"][&path]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let op_level = op["parameters"].as_array().cloned().unwrap_or_default();
        for parameter in path_level.iter().chain(op_level.iter()) {
            let parameter = resolve(&doc, parameter);
            if parameter["in"] == "path" {
                if parameter["required"] != true {
                    problems.push(format!(
                        "{name}: path parameter {} is not required",
                        parameter["name"]
                    ));
                }
                declared.insert(parameter["name"].as_str().unwrap().to_owned());
            }
        }
        let in_template: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        if declared != in_template {
            problems.push(format!(
                "{name}: path parameters {declared:?} but the template has {in_template:?}"
            ));
        }
        if path.ends_with("/ws")
            && !op["description"]
                .as_str()
                .unwrap_or("")
                .contains("docs/websocket.md")
        {
            problems.push(format!(
                "{name}: a WebSocket operation must point to docs/websocket.md"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "problems in openapi.json:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_documented_limits_are_the_code_limits() {
    use baton_domain::contact;
    use baton_server::http::{admin, freshchat, knowledge, tickets, widget};
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let limits = baton_server::Limits::default();

    let send = &schemas["SendMessageRequest"]["properties"];
    assert_eq!(send["text"]["x-maxBytes"], json!(limits.max_message_bytes));
    assert_eq!(
        send["client_id"]["maxLength"],
        json!(baton_domain::message::ClientMessageId::MAX_LEN)
    );
    assert_eq!(send["client_id"]["minLength"], json!(1));
    let upload = &schemas["AttachmentUpload"]["properties"];
    assert_eq!(
        upload["file"]["x-maxBytes"],
        json!(limits.max_attachment_bytes)
    );
    assert_eq!(
        upload["file"]["x-maxPerConversation"],
        json!(limits.max_attachments_per_conversation)
    );
    assert_eq!(
        upload["client_id"]["maxLength"],
        json!(baton_domain::message::ClientMessageId::MAX_LEN)
    );
    assert_eq!(
        schemas["StartConversationRequest"]["properties"]["visitor_name"]["maxLength"],
        json!(baton_server::service::MAX_VISITOR_NAME_CHARS)
    );
    // The history pages, the widget's and the panel's; the conversation and ticket lists.
    for path in [
        "/api/v1/widget/conversations/{id}/messages",
        "/api/v1/conversations/{id}/messages",
    ] {
        let limit = query_parameter(&doc, path, "limit");
        assert_eq!(limit["maximum"], json!(widget::MAX_HISTORY_PAGE), "{path}");
        assert_eq!(limit["minimum"], json!(1), "{path}");
        assert_eq!(
            query_parameter(&doc, path, "after")["minimum"],
            json!(0),
            "{path}"
        );
    }
    assert_eq!(
        query_parameter(&doc, "/api/v1/conversations", "limit")["maximum"],
        json!(baton_server::http::agent::MAX_CONVERSATION_PAGE)
    );
    assert_eq!(
        query_parameter(&doc, "/api/v1/tickets", "limit")["maximum"],
        json!(tickets::MAX_TICKET_PAGE)
    );
    assert_eq!(
        schemas["TicketList"]["properties"]["tickets"]["maxItems"],
        json!(tickets::MAX_TICKET_PAGE)
    );
    // The schedule's limits and the bot's texts.
    let schedule = &schemas["ScheduleDocument"]["properties"];
    assert_eq!(
        schedule["overrides"]["maxItems"],
        json!(baton_domain::schedule::MAX_OVERRIDES)
    );
    assert_eq!(
        schemas["ScheduleDay"]["properties"]["slots"]["maxItems"],
        json!(baton_domain::schedule::MAX_SLOTS_PER_DAY)
    );
    let bot = &schemas["BotRequest"]["properties"];
    for (field, limit) in [
        ("name", admin::MAX_BOT_NAME_CHARS),
        ("greeting", admin::MAX_GREETING_CHARS),
        ("persona", admin::MAX_PERSONA_CHARS),
    ] {
        assert_eq!(bot[field]["maxLength"], json!(limit), "BotRequest.{field}");
    }

    let settings = &schemas["HandoffSettings"]["properties"];
    assert_eq!(
        settings["instruction"]["maxLength"],
        json!(admin::MAX_INSTRUCTION_CHARS)
    );
    assert_eq!(
        settings["offline_message"]["maxLength"],
        json!(admin::MAX_OFFLINE_MESSAGE_CHARS)
    );
    assert_eq!(
        settings["accept_timeout_seconds"]["maximum"],
        json!(admin::MAX_ACCEPT_TIMEOUT_SECONDS)
    );
    assert_eq!(
        settings["accept_timeout_seconds"]["minimum"],
        json!(admin::MIN_ACCEPT_TIMEOUT_SECONDS)
    );
    for text in ["lead_capture_prompt", "lead_capture_success"] {
        assert_eq!(
            settings[text]["maxLength"],
            json!(admin::MAX_OFFLINE_MESSAGE_CHARS),
            "{text}"
        );
    }
    assert_eq!(
        schemas["Agent"]["properties"]["max_chats"]["maximum"],
        json!(baton_domain::account::MAX_CHATS_LIMIT)
    );
    assert_eq!(
        schemas["CreateAgentRequest"]["properties"]["max_chats"]["maximum"],
        json!(baton_domain::account::MAX_CHATS_LIMIT)
    );

    // Tickets, lead capture and integrations.
    for (schema, field, limit) in [
        ("NoteRequest", "text", tickets::MAX_NOTE_CHARS),
        ("TicketNote", "body", tickets::MAX_NOTE_CHARS),
        ("IntegrationsRequest", "webhook_url", tickets::MAX_URL_LEN),
        ("IntegrationsRequest", "llm_base_url", tickets::MAX_URL_LEN),
        ("IntegrationsRequest", "llm_model", tickets::MAX_MODEL_CHARS),
        (
            "IntegrationsRequest",
            "freshchat_channel_id",
            freshchat::MAX_CHANNEL_ID_CHARS,
        ),
        (
            "IntegrationsRequest",
            "freshchat_api_token",
            freshchat::MAX_FIELD_CHARS,
        ),
        (
            "IntegrationsRequest",
            "freshchat_webhook_public_key",
            freshchat::MAX_FIELD_CHARS,
        ),
        ("Integrations", "llm_model", tickets::MAX_MODEL_CHARS),
        (
            "IntegrationsRequest",
            "notification_email",
            contact::MAX_EMAIL_LEN,
        ),
        ("LeadRequest", "email", contact::MAX_EMAIL_LEN),
        ("LeadRequest", "name", contact::MAX_NAME_CHARS),
        ("LeadRequest", "description", contact::MAX_DESCRIPTION_CHARS),
        ("LeadRequest", "client_id", 64),
        ("Ticket", "contact_name", contact::MAX_NAME_CHARS),
        ("Ticket", "description", contact::MAX_DESCRIPTION_CHARS),
        ("Ticket", "subject", baton_domain::ticket::MAX_SUBJECT_CHARS),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["maxLength"],
            json!(limit),
            "{schema}.{field}"
        );
    }
    assert_eq!(
        schemas["NoteRequest"]["properties"]["text"]["minLength"],
        json!(1)
    );
    let email = schemas["LeadRequest"]["properties"]["email"]["description"]
        .as_str()
        .unwrap();
    assert!(
        email.contains(&format!("1 to {} characters", contact::MAX_LOCAL_LEN))
            && email.contains(&format!("at most {} bytes", contact::MAX_EMAIL_LEN)),
        "the email rule's limits: {email}"
    );
    // Every refusal message is documented word for word.
    for raw in [
        "",
        "ana @example.com",
        "ana.example.com",
        "a@b@example.com",
        "@example.com",
        "ana@example",
    ] {
        let message = contact::ContactEmail::parse(raw).unwrap_err().to_string();
        assert!(email.contains(&format!("`{message}`")), "{message}");
    }
    let long = format!("ana@{}.com", "a".repeat(260));
    let message = contact::ContactEmail::parse(&long).unwrap_err().to_string();
    assert!(email.contains(&format!("`{message}`")), "{message}");
    let local = format!("{}@example.com", "a".repeat(65));
    let message = contact::ContactEmail::parse(&local)
        .unwrap_err()
        .to_string();
    assert!(email.contains(&message.replace("65", "N")), "{message}");
    for (raw, ok) in [
        ("ana@example.com", true),
        ("  mailto:Ana.Lopez+x@Example.CO.uk ", true),
        ("ana@127.0.0.1", false),
        ("ana..b@example.com", false),
        ("ana@example.c", false),
    ] {
        assert_eq!(contact::ContactEmail::parse(raw).is_ok(), ok, "{raw:?}");
    }
    for (property, problem) in [
        ("name", contact::FieldProblem::NameTooLong),
        ("description", contact::FieldProblem::DescriptionTooLong),
    ] {
        let documented = schemas["LeadRequest"]["properties"][property]["description"]
            .as_str()
            .unwrap();
        assert!(
            documented.contains(&format!("`{problem}`")),
            "{property}: {documented}"
        );
    }
    // Knowledge.
    for schema in [
        "QaEntryRequest",
        "DocumentEntryRequest",
        "KnowledgeUpdateRequest",
        "KnowledgeEntry",
    ] {
        let title = &schemas[schema]["properties"]["title"];
        assert_eq!(
            title["maxLength"],
            json!(knowledge::MAX_TITLE_CHARS),
            "{schema}.title"
        );
        assert_eq!(title["minLength"], json!(1), "{schema}.title");
    }
    assert_eq!(
        schemas["QaEntryRequest"]["properties"]["body"]["maxLength"],
        json!(knowledge::MAX_ANSWER_CHARS)
    );
    assert_eq!(
        schemas["DocumentEntryRequest"]["properties"]["body"]["x-maxBytes"],
        json!(knowledge::MAX_DOCUMENT_BYTES)
    );
    assert_eq!(
        schemas["KnowledgeList"]["properties"]["entries"]["maxItems"],
        json!(knowledge::MAX_ENTRIES_PER_BOT)
    );
    // The prose says the same numbers.
    let kib = format!("{} KiB", knowledge::MAX_DOCUMENT_BYTES / 1024);
    let answer = format!(
        "{},{:03} characters",
        knowledge::MAX_ANSWER_CHARS / 1000,
        knowledge::MAX_ANSWER_CHARS % 1000
    );
    let title = format!("over {} characters", knowledge::MAX_TITLE_CHARS);
    let entries = format!("{} entries", knowledge::MAX_ENTRIES_PER_BOT);
    let op = |path: &str, method: &str| {
        doc["paths"][path][method]["description"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no description"))
            .to_owned()
    };
    let add = op("/api/v1/bots/{id}/knowledge", "post");
    for needle in [&kib, &answer, &title, &entries] {
        assert!(add.contains(needle.as_str()), "{needle}: {add}");
    }
    let update = op("/api/v1/bots/{id}/knowledge/{entry_id}", "put");
    for needle in [&kib, &answer, &title] {
        assert!(update.contains(needle.as_str()), "{needle}: {update}");
    }
    let conflict = doc["components"]["responses"]["Conflict"]["description"]
        .as_str()
        .unwrap();
    assert!(
        conflict.contains(&format!(
            "{} knowledge entries",
            knowledge::MAX_ENTRIES_PER_BOT
        )),
        "{conflict}"
    );
    // The search's `q` and `k` (checked inline in knowledge.rs: 1–1000 bytes, k clamped to 1–20,
    // default 5) and its largest answer.
    let search = &doc["paths"]["/api/v1/bots/{id}/knowledge/search"]["get"]["parameters"];
    let param = |name: &str| {
        search
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))["schema"]
            .clone()
    };
    assert_eq!(param("q")["minLength"], json!(1));
    assert_eq!(param("q")["x-maxBytes"], json!(knowledge::MAX_QUERY_BYTES));
    assert_eq!(param("k")["minimum"], json!(1));
    assert_eq!(param("k")["maximum"], json!(knowledge::MAX_HITS));
    assert_eq!(param("k")["default"], json!(knowledge::DEFAULT_HITS));
    // Saved replies and the trigger explanation.
    use baton_server::http::{saved_replies, triggers};
    let saved = &schemas["SavedReplyRequest"]["properties"];
    assert_eq!(
        saved["shortcut"]["maxLength"],
        json!(saved_replies::MAX_SHORTCUT_INPUT_CHARS)
    );
    assert_eq!(
        saved["text"]["maxLength"],
        json!(saved_replies::MAX_SAVED_REPLY_CHARS)
    );
    assert!(
        schemas["SavedReply"]["properties"]["shortcut"]["pattern"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{{1,{}}}$", saved_replies::MAX_SHORTCUT_CHARS))
    );
    assert_eq!(
        schemas["TriggerExplainRequest"]["properties"]["messages"]["maxItems"],
        json!(triggers::MAX_EXPLAIN_MESSAGES)
    );
    assert_eq!(
        schemas["OutboxList"]["properties"]["deliveries"]["maxItems"],
        json!(tickets::MAX_OUTBOX_LIST)
    );
    let login = &schemas["LoginRequest"]["properties"];
    assert_eq!(login["email"]["maxLength"], json!(contact::MAX_EMAIL_LEN));
    assert_eq!(
        login["password"]["x-maxBytes"],
        json!(baton_server::http::agent::MAX_PASSWORD_BYTES)
    );
    assert_eq!(
        schemas["KnowledgeSearchResult"]["properties"]["hits"]["maxItems"],
        param("k")["maximum"]
    );
    // The routes' own body limits, as the description tells them (BODY_OVERHEAD_BYTES = 16 KiB).
    let described = doc["info"]["description"].as_str().unwrap();
    for limit in [
        tickets::MAX_NOTE_CHARS * 4 + 16 * 1024,
        knowledge::MAX_DOCUMENT_BYTES + 16 * 1024,
    ] {
        let written = limit
            .to_string()
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(",");
        assert!(
            described.contains(&format!("({written} bytes)")),
            "{written}"
        );
    }

    // The documented names are the code's names.
    use baton_domain::message::MessageKind;
    use baton_domain::ticket::{TicketPriority, TicketStatus};
    let enum_of = |name: &str| -> Vec<String> {
        serde_json::from_value(schemas[name]["enum"].clone()).unwrap()
    };
    let names = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        enum_of("TicketStatus"),
        names(TicketStatus::ALL.iter().map(|s| s.as_str()).collect())
    );
    assert_eq!(
        enum_of("TicketPriority"),
        names(TicketPriority::ALL.iter().map(|p| p.as_str()).collect())
    );
    assert_eq!(
        enum_of("MessageKind"),
        names(MessageKind::ALL.iter().map(|k| k.as_str()).collect())
    );
    use baton_storage::KnowledgeKind;
    let kinds = enum_of("KnowledgeKind");
    assert_eq!(
        kinds,
        names(vec![
            KnowledgeKind::Qa.as_str(),
            KnowledgeKind::Document.as_str()
        ])
    );
    assert!(kinds.iter().all(|k| KnowledgeKind::parse(k).is_some()));
    // One request schema per kind: each option of the oneOf fixes `kind` to one value.
    let consts: Vec<String> = schemas["KnowledgeEntryRequest"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|option| {
            let parts = option["allOf"].as_array().expect("kind and the fields");
            let kind = parts
                .iter()
                .map(|p| &resolve(&doc, p)["properties"]["kind"])
                .find(|k| !k.is_null())
                .expect("a kind");
            assert_eq!(kind["enum"].as_array().map(Vec::len), Some(1), "{kind}");
            kind["enum"][0].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(consts, kinds, "one request schema per kind");

    // The documented client_id rule accepts and refuses what the code does.
    let longest = "x".repeat(64);
    let too_long = "x".repeat(65);
    for (candidate, ok) in [
        ("a", true),
        ("v-1_2.3:4", true),
        (longest.as_str(), true),
        (too_long.as_str(), false),
        ("", false),
        ("has space", false),
        ("é", false),
    ] {
        assert_eq!(
            baton_domain::message::ClientMessageId::parse(candidate).is_ok(),
            ok,
            "{candidate:?}"
        );
        let documented = !candidate.is_empty()
            && candidate.len() <= 64
            && candidate
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b));
        assert_eq!(documented, ok, "{candidate:?}");
    }
    assert_eq!(
        send["client_id"]["pattern"],
        json!("^[A-Za-z0-9._:-]{1,64}$")
    );

    // The widget's `lang`: the tag limit, and the languages served.
    let lang = doc["paths"]["/api/v1/widget/bots/{bot_id}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "lang")
        .expect("lang is documented");
    assert_eq!(
        lang["schema"]["maxLength"],
        json!(baton_domain::language::MAX_TAG_CHARS)
    );
    let spoken: Vec<&str> = baton_domain::language::Language::ALL
        .iter()
        .map(|l| l.code())
        .collect();
    assert_eq!(
        schemas["PublicBot"]["properties"]["lang"]["enum"],
        json!(spoken)
    );
}

/// The Swagger UI page (`openapi::docs_page`) is not API and is not in the document; it is
/// served with the headers of Baton's own pages and shows the served document.
#[tokio::test]
async fn the_docs_page_shows_the_document_under_the_pages_csp() {
    use baton_server::http::openapi::{DOCS_PATH, DOCUMENT_PATH};
    let app = spawn_app().await;
    let doc = document();
    assert!(
        !object_keys(&doc["paths"]).any(|p| p.starts_with(DOCS_PATH)),
        "the docs page is not an API operation"
    );
    let http = reqwest::Client::new();
    let page = http
        .get(format!("{}{DOCS_PATH}/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers["x-frame-options"], "DENY");
    let html = page.text().await.unwrap();
    // Every script of the page is a file of the page (the CSP allows no inline script).
    assert!(html.contains("swagger-initializer.js"), "{html}");
    assert!(!html.contains("<script>"), "an inline script: {html}");
    let initializer = http
        .get(format!("{}{DOCS_PATH}/swagger-initializer.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(initializer.status(), StatusCode::OK);
    assert!(
        initializer
            .headers()
            .contains_key("content-security-policy")
    );
    let script = initializer.text().await.unwrap();
    assert!(script.contains(DOCUMENT_PATH), "{script}");
}

fn object_keys(v: &Value) -> impl Iterator<Item = &String> {
    v.as_object().into_iter().flat_map(|m| m.keys())
}

// ---- 2. the routers against the document -------------------------------------------------------

/// What the server answers a request that no route takes: 404 with an empty body (the router's
/// fallback), or 405 for a path served with other methods.
fn unrouted(status: StatusCode, body: &str) -> bool {
    status == StatusCode::METHOD_NOT_ALLOWED || (status == StatusCode::NOT_FOUND && body.is_empty())
}

/// Sends `method path` (ids filled in) with no credentials and returns the status and body.
async fn probe(app: &TestApp, method: &str, path: &str) -> (StatusCode, String) {
    let url = path
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                uuid::Uuid::now_v7().to_string()
            } else {
                s.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let response = reqwest::Client::new()
        .request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{url}", app.base),
        )
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// The server serves no API route the document leaves out. Routes are declared with `routes!`,
/// which takes the documentation with the route, so the document is the routers' own list; the
/// live server confirms it: on every documented path each undocumented method is refused as
/// unrouted (405), and every path above a documented one that is not documented itself is the
/// fallback's 404. The web UI's pages are served and are not under `/api`.
#[tokio::test]
async fn the_server_routes_nothing_under_api_the_document_leaves_out() {
    let app = spawn_app().await;
    let doc = document();
    let documented: BTreeSet<(String, String)> = operations(&doc).into_keys().collect();
    let paths: BTreeSet<String> = documented.iter().map(|(p, _)| p.clone()).collect();
    let mut problems = Vec::new();
    for path in &paths {
        for method in METHODS {
            let method = method.to_uppercase();
            if documented.contains(&(path.clone(), method.clone())) {
                continue;
            }
            // axum answers HEAD with the GET route; the widget's CORS answers preflights.
            if method == "HEAD" && documented.contains(&(path.clone(), "GET".to_owned())) {
                continue;
            }
            if method == "OPTIONS"
                && (path.starts_with("/api/v1/widget/") || path.starts_with("/api/v1/attachments/"))
            {
                continue;
            }
            let (status, body) = probe(&app, &method, path).await;
            if !unrouted(status, &body) {
                problems.push(format!(
                    "{method} {path} → {status}: served but not documented"
                ));
            }
        }
        // Every path above a documented one.
        let segments: Vec<&str> = path.split('/').collect();
        for end in 2..segments.len() {
            let parent = segments[..end].join("/");
            if paths.contains(&parent) {
                continue;
            }
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
                let (status, body) = probe(&app, method, &parent).await;
                if !unrouted(status, &body) {
                    problems.push(format!(
                        "{method} {parent} → {status}: served but not documented"
                    ));
                }
            }
        }
    }
    // The web UI's pages: served, outside the API, absent from the document.
    for page in UNDOCUMENTED_ASSETS {
        assert!(!page.starts_with("/api"), "{page} is under /api");
        assert!(!paths.contains(*page), "{page} is documented");
        let (status, body) = probe(&app, "GET", &page.replace("{*path}", "panel.js")).await;
        if unrouted(status, &body) {
            problems.push(format!(
                "GET {page} → {status}: UNDOCUMENTED_ASSETS lists a page the server does not serve"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the live server's routes and the document disagree:\n  {}",
        problems.join("\n  ")
    );
}

/// The document is the routers' own: what `documented_routes` derives is what is served.
#[test]
fn the_document_is_the_routers_own_route_list() {
    let limits = baton_server::Limits::default();
    let derived = baton_server::http::documented_routes(&limits).into_openapi();
    let derived = serde_json::to_value(&derived).unwrap();
    let served: BTreeSet<_> = operations(&document()).into_keys().collect();
    let routed: BTreeSet<_> = operations(&derived).into_keys().collect();
    assert_eq!(served, routed);
    // Both the widget's and the panel's side are there, and the webhook is not a route.
    for (path, method) in [
        ("/api/v1/widget/conversations/{id}/handoff", "DELETE"),
        ("/api/v1/conversations/{id}/messages", "POST"),
        ("/api/v1/bots/{id}/handoff-settings", "PUT"),
        ("/api/v1/tickets/{id}", "PATCH"),
        ("/api/v1/analytics/handoffs", "GET"),
        ("/healthz", "GET"),
    ] {
        assert!(
            served.contains(&(path.to_owned(), method.to_owned())),
            "{method} {path}"
        );
    }
    assert!(document()["webhooks"]["ticketEvent"]["post"].is_object());
    assert!(!served.iter().any(|(p, _)| p == "ticketEvent"));
}

// ---- 3. the document against the live server --------------------------------------------------

#[tokio::test]
async fn every_documented_operation_exists_on_the_live_server() {
    let app = spawn_app().await;
    let doc = document();
    let http = reqwest::Client::new();
    let mut problems = Vec::new();
    for ((path, method), op) in operations(&doc) {
        // Any well-formed id: nothing exists with it, and no credentials are sent.
        let url = path
            .split('/')
            .map(|s| {
                if s.starts_with('{') {
                    uuid::Uuid::now_v7().to_string()
                } else {
                    s.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let response = http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{url}", app.base),
            )
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        let name = format!("{method} {path} → {status}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            problems.push(format!(
                "{name}: the server has no such method on this path"
            ));
            continue;
        }
        if status == StatusCode::NOT_FOUND && body.is_empty() {
            problems.push(format!(
                "{name}: the server has no such path (the router's fallback answered)"
            ));
            continue;
        }
        if op["responses"].get(status.as_str()).is_none() {
            problems.push(format!(
                "{name}: this status is not documented for the operation"
            ));
        }
        if let (Ok(json), Some(schema)) = (
            serde_json::from_str::<Value>(&body),
            response_schema(&doc, &op, status.as_u16()),
        ) {
            let mut e = Vec::new();
            validate(&doc, schema, &json, "$", &mut e);
            problems.extend(e.into_iter().map(|e| format!("{name}: {e}")));
        }
    }
    assert!(
        problems.is_empty(),
        "documented operations the live server does not match:\n  {}",
        problems.join("\n  ")
    );
}

// ---- 4. real answers against the documented schemas --------------------------------------------

/// Sends requests and checks each answer against the operation's documented responses.
struct Checker {
    doc: Value,
    ops: BTreeMap<(String, String), Value>,
    exercised: BTreeSet<(String, String)>,
}

impl Checker {
    /// Sends `request` for the documented `METHOD template`, expects `status`, and checks the
    /// body against the documented schema; returns the body.
    async fn expect(&mut self, op: &str, request: RequestBuilder, status: u16) -> Value {
        let (method, template) = op.split_once(' ').unwrap();
        let key = (template.to_owned(), method.to_owned());
        let documented = self
            .ops
            .get(&key)
            .unwrap_or_else(|| panic!("{op} is not documented"))
            .clone();
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let media = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_owned());
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{op}: {text}");
        let Some(documented_response) = documented["responses"].get(got.to_string()) else {
            panic!("{op}: {got} is not documented");
        };
        let documented_response = resolve(&self.doc, documented_response).clone();
        self.exercised.insert(key);
        let schema = response_schema(&self.doc, &documented, got).cloned();
        let Some(media) = media.filter(|_| !text.is_empty()) else {
            assert!(
                schema.is_none(),
                "{op} {got}: documented with a JSON body, answered without one"
            );
            return Value::Null;
        };
        assert!(
            documented_response["content"].get(&media).is_some(),
            "{op} {got}: answered {media}, which is not documented"
        );
        if media != "application/json" {
            return Value::String(text);
        }
        let body: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{op}: not JSON ({e}): {text}"));
        let schema = schema.unwrap_or_else(|| {
            panic!("{op} {got}: answered JSON, documented without a JSON schema")
        });
        assert_fits(&self.doc, &schema, &body, &format!("{op} {got}"));
        body
    }
}

fn agent_call(agent: &AgentClient, method: Method, path: &str) -> RequestBuilder {
    let request = agent
        .http
        .request(method.clone(), format!("{}{path}", agent.base));
    if method == Method::GET {
        request
    } else {
        request.header("x-csrf-token", &agent.csrf)
    }
}

#[tokio::test]
async fn live_responses_match_the_documented_schemas() {
    // The echo engine never hands off by itself, so every handoff here is the visitor's. One
    // delivery attempt: the webhook below, to a closed port, is dead-lettered at once.
    let app = spawn_app_with(
        |config| config.outbox_max_attempts = 1,
        Arc::new(EchoEngine),
    )
    .await;
    let doc = document();
    let mut c = Checker {
        ops: operations(&doc),
        doc,
        exercised: BTreeSet::new(),
    };
    let http = reqwest::Client::new();
    let base = app.base.clone();
    let bot = app.bot.id.to_string();

    c.expect("GET /healthz", http.get(format!("{base}/healthz")), 200)
        .await;
    c.expect(
        "GET /api/v1/openapi.json",
        http.get(format!("{base}/api/v1/openapi.json")),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/widget/bots/{bot_id}",
        http.get(format!("{base}/api/v1/widget/bots/{bot}")),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/widget/bots/{bot_id}/availability",
        http.get(format!("{base}/api/v1/widget/bots/{bot}/availability")),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations",
        http.post(format!("{base}/api/v1/widget/conversations"))
            .json(&json!({ "bot_id": bot, "visitor_name": "Vera" })),
        201,
    )
    .await;

    // The visitor's side.
    let visitor = app.visitor().await;
    let token = visitor.token.clone();
    let conversation = visitor.conversation_id.clone();
    c.expect(
        "GET /api/v1/widget/conversations/{id}",
        http.get(visitor.url("")).bearer_auth(&token),
        200,
    )
    .await;
    let send = json!({ "client_id": "v-1", "text": "Where is my order?" });
    let post = || {
        http.post(visitor.url("/messages"))
            .bearer_auth(&token)
            .json(&send)
    };
    c.expect(
        "POST /api/v1/widget/conversations/{id}/messages",
        post(),
        201,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations/{id}/messages",
        post(),
        200,
    )
    .await;

    // Agents: an admin and an agent whose panel is open, so handoffs are live.
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let agent = app.agent("Ana").await;
    let _panel = agent.panel().await;

    let requested = c
        .expect(
            "POST /api/v1/widget/conversations/{id}/handoff",
            http.post(visitor.url("/handoff")).bearer_auth(&token),
            202,
        )
        .await;
    assert_eq!(requested["state"], "waiting");
    let handoff = requested["handoff"]["id"].as_str().unwrap().to_owned();
    let queue = c
        .expect(
            "GET /api/v1/handoffs",
            agent_call(&agent, Method::GET, "/api/v1/handoffs"),
            200,
        )
        .await;
    assert_eq!(
        queue["handoffs"][0]["id"],
        handoff.as_str(),
        "the queue has the brief"
    );
    c.expect(
        "POST /api/v1/handoffs/{id}/accept",
        agent_call(
            &agent,
            Method::POST,
            &format!("/api/v1/handoffs/{handoff}/accept"),
        ),
        200,
    )
    .await;
    let agent_url = format!("/api/v1/conversations/{conversation}");
    c.expect(
        "POST /api/v1/conversations/{id}/messages",
        agent_call(&agent, Method::POST, &format!("{agent_url}/messages"))
            .json(&json!({ "client_id": "a-1", "text": "Hi, I'm Ana." })),
        201,
    )
    .await;
    // Files, both ways, multipart; and their downloads.
    let multipart = |client_id: &str, name: &str, bytes: &[u8]| {
        let boundary = "openapi-boundary-1";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n{client_id}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    };
    let (media, body) = multipart("a-file-1", "notes.txt", b"order 1234");
    let sent = c
        .expect(
            "POST /api/v1/conversations/{id}/attachments",
            agent_call(&agent, Method::POST, &format!("{agent_url}/attachments"))
                .header("content-type", media.clone())
                .body(body.clone()),
            201,
        )
        .await;
    c.expect(
        "POST /api/v1/conversations/{id}/attachments",
        agent_call(&agent, Method::POST, &format!("{agent_url}/attachments"))
            .header("content-type", media)
            .body(body),
        200,
    )
    .await;
    let text_file = sent["message"]["data"]["attachment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (media, body) = multipart("v-file-1", "photo.png", b"\x89PNG\r\n\x1a\nrest");
    let sent = c
        .expect(
            "POST /api/v1/widget/conversations/{id}/attachments",
            http.post(visitor.url("/attachments"))
                .bearer_auth(&token)
                .header("content-type", media)
                .body(body),
            201,
        )
        .await;
    let image = sent["message"]["data"]["attachment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (media, body) = multipart("v-file-2", "page.html", b"<script>alert(1)</script>");
    c.expect(
        "POST /api/v1/widget/conversations/{id}/attachments",
        http.post(visitor.url("/attachments"))
            .bearer_auth(&token)
            .header("content-type", media)
            .body(body),
        415,
    )
    .await;
    c.expect(
        "GET /api/v1/attachments/{attachment_id}",
        http.get(format!("{base}/api/v1/attachments/{image}?token={token}")),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/attachments/{attachment_id}",
        agent_call(
            &agent,
            Method::GET,
            &format!("/api/v1/attachments/{text_file}"),
        ),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/attachments/{attachment_id}",
        http.get(format!("{base}/api/v1/attachments/{image}")),
        401,
    )
    .await;
    c.expect(
        "GET /api/v1/conversations",
        agent_call(
            &agent,
            Method::GET,
            "/api/v1/conversations?state=human&limit=10",
        ),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/conversations/{id}",
        agent_call(&agent, Method::GET, &agent_url),
        200,
    )
    .await;
    let page = c
        .expect(
            "GET /api/v1/conversations/{id}/messages",
            agent_call(
                &agent,
                Method::GET,
                &format!("{agent_url}/messages?after=0&limit=500"),
            ),
            200,
        )
        .await;
    let kinds: Vec<&str> = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"handoff_requested") && kinds.contains(&"agent_joined"),
        "{kinds:?}"
    );
    c.expect(
        "POST /api/v1/conversations/{id}/hand-back",
        agent_call(&agent, Method::POST, &format!("{agent_url}/hand-back")),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/conversations/{id}/join",
        agent_call(&agent, Method::POST, &format!("{agent_url}/join")),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/conversations/{id}/resolve",
        agent_call(&agent, Method::POST, &format!("{agent_url}/resolve")),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/conversations/{id}/read",
        agent_call(&agent, Method::POST, &format!("{agent_url}/read")).json(&json!({ "seq": 1 })),
        204,
    )
    .await;
    c.expect(
        "POST /api/v1/conversations/{id}/read",
        agent_call(&agent, Method::POST, &format!("{agent_url}/read"))
            .json(&json!({ "seq": 1_000_000 })),
        400,
    )
    .await;
    c.expect(
        "GET /api/v1/conversations",
        agent_call(&agent, Method::GET, "/api/v1/conversations"),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/widget/conversations/{id}/messages",
        http.get(visitor.url("/messages?after=0&limit=500"))
            .bearer_auth(&token),
        200,
    )
    .await;

    // A second visitor asks for a person, then changes their mind.
    let second = app.visitor().await;
    c.expect(
        "POST /api/v1/widget/conversations/{id}/handoff",
        http.post(second.url("/handoff")).bearer_auth(&second.token),
        202,
    )
    .await;
    let cancelled = c
        .expect(
            "DELETE /api/v1/widget/conversations/{id}/handoff",
            http.delete(second.url("/handoff"))
                .bearer_auth(&second.token),
            200,
        )
        .await;
    assert_eq!(cancelled["handoff"]["status"], "cancelled");

    // The agent steps away: a third visitor's handoff takes the offline path.
    c.expect(
        "GET /api/v1/me",
        agent_call(&agent, Method::GET, "/api/v1/me"),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/me/status",
        agent_call(&agent, Method::POST, "/api/v1/me/status").json(&json!({ "status": "away" })),
        200,
    )
    .await;
    // Passwords: an admin sets another agent's (their sessions end, so a fresh account).
    let bea = app.agent("Bea").await;
    let bea_password = format!("/api/v1/agents/{}/password", bea.id);
    c.expect(
        "POST /api/v1/agents/{id}/password",
        agent_call(&admin, Method::POST, &bea_password)
            .json(&json!({ "password": "a new long passphrase" })),
        204,
    )
    .await;
    c.expect(
        "POST /api/v1/agents/{id}/password",
        agent_call(&admin, Method::POST, &bea_password).json(&json!({ "password": "short" })),
        400,
    )
    .await;
    c.expect(
        "POST /api/v1/agents/{id}/password",
        agent_call(&admin, Method::POST, &bea_password).json(&json!({})),
        200,
    )
    .await;
    let third = app.visitor().await;
    let offline = c
        .expect(
            "POST /api/v1/widget/conversations/{id}/handoff",
            http.post(third.url("/handoff")).bearer_auth(&third.token),
            202,
        )
        .await;
    assert_eq!(offline["handoff"]["status"], "offline");
    assert_eq!(offline["handoff"]["offline_reason"], "nobody_available");
    // The bot has lead capture on: the visitor is asked for contact details.
    assert_eq!(offline["state"], "lead_capture", "{offline}");
    let kinds: Vec<&str> = offline["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["handoff_offline", "lead_requested"]);
    let collecting = c
        .expect(
            "GET /api/v1/conversations",
            agent_call(
                &agent,
                Method::GET,
                "/api/v1/conversations?state=lead_capture",
            ),
            200,
        )
        .await;
    let listed = collecting["conversations"].as_array().unwrap();
    assert!(
        listed.iter().all(|c| c["state"] == "lead_capture")
            && listed
                .iter()
                .any(|c| c["id"] == third.conversation_id.as_str()),
        "{collecting}"
    );

    // Integrations first, so the ticket below is sent to a webhook: a closed port.
    c.expect(
        "GET /api/v1/integrations",
        agent_call(&admin, Method::GET, "/api/v1/integrations"),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/integrations",
        agent_call(&agent, Method::GET, "/api/v1/integrations"),
        403,
    )
    .await;
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let integrations = c
        .expect(
            "PUT /api/v1/integrations",
            agent_call(&admin, Method::PUT, "/api/v1/integrations").json(&json!({
                "notification_email": "support@example.com",
                // The scheme is matched in any case.
                "webhook_url": format!("HTTP://127.0.0.1:{closed_port}/hook"),
            })),
            200,
        )
        .await;
    assert_eq!(integrations["webhook_secret_set"], true, "{integrations}");
    assert!(
        integrations["webhook_secret"].is_string(),
        "the first secret is shown once: {integrations}"
    );
    let refused = c
        .expect(
            "PUT /api/v1/integrations",
            agent_call(&admin, Method::PUT, "/api/v1/integrations")
                .json(&json!({ "webhook_url": "ftp://example.com/hook" })),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "webhook_url");
    // The workspace's own AI model: refused fields store nothing.
    for (body, field) in [
        (
            json!({ "llm_base_url": "ftp://models.example.com/v1" }),
            "llm_base_url",
        ),
        (
            json!({ "llm_base_url": "https://models.example.com/v1" }),
            "llm_model",
        ),
        (
            json!({ "llm_base_url": "https://models.example.com/v1", "llm_model": "m".repeat(201) }),
            "llm_model",
        ),
    ] {
        let refused = c
            .expect(
                "PUT /api/v1/integrations",
                agent_call(&admin, Method::PUT, "/api/v1/integrations").json(&body),
                400,
            )
            .await;
        assert_eq!(refused["error"]["field"], field, "{body}");
    }
    let unchanged = c
        .expect(
            "GET /api/v1/integrations",
            agent_call(&admin, Method::GET, "/api/v1/integrations"),
            200,
        )
        .await;
    assert_eq!(unchanged["llm_base_url"], Value::Null);
    assert_eq!(unchanged["llm_api_key_set"], false);
    assert!(unchanged["webhook_url"].is_string(), "{unchanged}");
    c.expect(
        "POST /api/v1/integrations/webhook-secret",
        agent_call(&admin, Method::POST, "/api/v1/integrations/webhook-secret"),
        201,
    )
    .await;
    // Known visitors: a secret, then a signed identity, and a wrong signature.
    let identity = c
        .expect(
            "POST /api/v1/integrations/identity-secret",
            agent_call(&admin, Method::POST, "/api/v1/integrations/identity-secret"),
            201,
        )
        .await;
    let identity_secret = identity["secret"].as_str().unwrap();
    let signed = c
        .expect(
            "POST /api/v1/widget/conversations",
            http.post(format!("{}/api/v1/widget/conversations", app.base))
                .json(&json!({ "bot_id": app.bot.id, "identity": {
                    "external_id": "customer-1", "email": "kim@example.com", "name": "Kim",
                    "signature": baton_server::secrets::identity_signature(identity_secret, "customer-1"),
                } })),
            201,
        )
        .await;
    c.expect(
        "GET /api/v1/conversations/{id}",
        agent_call(
            &admin,
            Method::GET,
            &format!(
                "/api/v1/conversations/{}",
                signed["conversation"]["id"].as_str().unwrap()
            ),
        ),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations",
        http.post(format!("{}/api/v1/widget/conversations", app.base))
            .json(&json!({ "bot_id": app.bot.id, "identity": {
                "external_id": "customer-1", "signature": "0".repeat(64),
            } })),
        403,
    )
    .await;
    // FreshChat: the test button needs saved credentials; the webhook needs a signature.
    let untested = c
        .expect(
            "POST /api/v1/integrations/freshchat/test",
            agent_call(&admin, Method::POST, "/api/v1/integrations/freshchat/test"),
            400,
        )
        .await;
    assert_eq!(untested["error"]["field"], "freshchat_api_url");
    c.expect(
        "POST /api/v1/integrations/freshchat/webhook/{workspace_id}",
        http.post(format!(
            "{base}/api/v1/integrations/freshchat/webhook/{}",
            app.workspace.id
        ))
        .json(&json!({ "action": "message_create" })),
        401,
    )
    .await;

    // The third visitor leaves their details with the form: a ticket.
    let lead = |visitor: &Visitor, body: Value| {
        http.post(visitor.url("/lead"))
            .bearer_auth(&visitor.token)
            .json(&body)
    };
    let refused = c
        .expect(
            "POST /api/v1/widget/conversations/{id}/lead",
            lead(
                &third,
                json!({ "client_id": "lead-1", "email": "ana@example" }),
            ),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "email");
    let form = json!({
        "client_id": "lead-1", "email": "ana@example.com", "name": "Ana", "description": "Card declined twice"
    });
    let captured = c
        .expect(
            "POST /api/v1/widget/conversations/{id}/lead",
            lead(&third, form.clone()),
            201,
        )
        .await;
    assert_eq!(captured["state"], "ai");
    let ticket = captured["ticket"]["id"].as_str().unwrap().to_owned();
    let replayed = c
        .expect(
            "POST /api/v1/widget/conversations/{id}/lead",
            lead(&third, form),
            200,
        )
        .await;
    assert_eq!(replayed["ticket"]["id"], ticket.as_str(), "one ticket");

    // A fourth asks to leave details, then declines.
    let fourth = app.visitor().await;
    let ticket_request = || http.post(fourth.url("/ticket")).bearer_auth(&fourth.token);
    c.expect(
        "POST /api/v1/widget/conversations/{id}/ticket",
        ticket_request(),
        202,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations/{id}/ticket",
        ticket_request(),
        409,
    )
    .await;
    let decline = || {
        http.post(fourth.url("/lead/decline"))
            .bearer_auth(&fourth.token)
    };
    c.expect(
        "POST /api/v1/widget/conversations/{id}/lead/decline",
        decline(),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations/{id}/lead/decline",
        decline(),
        409,
    )
    .await;
    // No SMTP in this test: a transcript cannot be emailed.
    c.expect(
        "POST /api/v1/widget/conversations/{id}/transcript",
        http.post(fourth.url("/transcript"))
            .bearer_auth(&fourth.token)
            .json(&json!({ "email": "bo@example.com" })),
        409,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations/{id}/lead",
        lead(
            &fourth,
            json!({ "client_id": "lead-2", "email": "bo@example.com" }),
        ),
        409,
    )
    .await;

    // Agents work the ticket.
    let list = c
        .expect(
            "GET /api/v1/tickets",
            agent_call(
                &agent,
                Method::GET,
                &format!("/api/v1/tickets?status=open&priority=medium&bot_id={bot}&limit=10"),
            ),
            200,
        )
        .await;
    assert_eq!(list["tickets"][0]["id"], ticket.as_str(), "{list}");
    // The handoffs so far, as figures and as CSV.
    let figures = c
        .expect(
            "GET /api/v1/analytics/handoffs",
            agent_call(
                &agent,
                Method::GET,
                &format!("/api/v1/analytics/handoffs?bot_id={bot}"),
            ),
            200,
        )
        .await;
    assert!(figures["total"].as_u64().unwrap() >= 1, "{figures}");
    let csv = c
        .expect(
            "GET /api/v1/analytics/handoffs",
            agent_call(&agent, Method::GET, "/api/v1/analytics/handoffs?format=csv"),
            200,
        )
        .await;
    assert!(
        csv.as_str().unwrap().starts_with("id,bot,trigger,"),
        "{csv}"
    );
    c.expect(
        "GET /api/v1/analytics/handoffs",
        agent_call(
            &agent,
            Method::GET,
            "/api/v1/analytics/handoffs?format=xlsx",
        ),
        400,
    )
    .await;
    c.expect(
        "GET /api/v1/analytics/handoffs",
        agent_call(
            &agent,
            Method::GET,
            &format!("/api/v1/analytics/handoffs?bot_id={}", uuid::Uuid::now_v7()),
        ),
        404,
    )
    .await;
    c.expect(
        "GET /api/v1/tickets",
        agent_call(&agent, Method::GET, "/api/v1/tickets?priority=meh"),
        400,
    )
    .await;
    let ticket_url = format!("/api/v1/tickets/{ticket}");
    let detail = c
        .expect(
            "GET /api/v1/tickets/{id}",
            agent_call(&agent, Method::GET, &ticket_url),
            200,
        )
        .await;
    let kinds: Vec<&str> = detail["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"lead_requested") && kinds.contains(&"lead_captured"),
        "{kinds:?}"
    );
    let updated = c
        .expect(
            "PATCH /api/v1/tickets/{id}",
            agent_call(&agent, Method::PATCH, &ticket_url).json(
                &json!({ "status": "pending_internal", "priority": "urgent", "assignee_id": agent.id }),
            ),
            200,
        )
        .await;
    assert_eq!(updated["ticket"]["assignee_id"], agent.id.as_str());
    let refused = c
        .expect(
            "PATCH /api/v1/tickets/{id}",
            agent_call(&agent, Method::PATCH, &ticket_url).json(&json!({ "status": "closed-ish" })),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "status");
    let refused = c
        .expect(
            "PATCH /api/v1/tickets/{id}",
            agent_call(&agent, Method::PATCH, &ticket_url).json(&json!({})),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "body", "nothing to change");
    c.expect(
        "POST /api/v1/tickets/{id}/notes",
        agent_call(&agent, Method::POST, &format!("{ticket_url}/notes"))
            .json(&json!({ "text": "Called the bank" })),
        201,
    )
    .await;
    // The longest note, in 4-byte characters, fits the ticket routes' own body limit.
    let longest = "\u{1f4ac}".repeat(baton_server::http::tickets::MAX_NOTE_CHARS);
    assert!(
        longest.len() > app.state.config.limits.max_message_bytes + 16 * 1024,
        "over the general body limit"
    );
    c.expect(
        "POST /api/v1/tickets/{id}/notes",
        agent_call(&agent, Method::POST, &format!("{ticket_url}/notes"))
            .json(&json!({ "text": longest })),
        201,
    )
    .await;
    let refused = c
        .expect(
            "POST /api/v1/tickets/{id}/notes",
            agent_call(&agent, Method::POST, &format!("{ticket_url}/notes"))
                .json(&json!({ "text": format!("{longest}!") })),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "text");
    // The test server has no SMTP: a reply cannot be emailed.
    c.expect(
        "POST /api/v1/tickets/{id}/reply",
        agent_call(&agent, Method::POST, &format!("{ticket_url}/reply"))
            .json(&json!({ "text": "Hi Ana" })),
        409,
    )
    .await;

    // The webhook to the closed port is dead-lettered; an admin queues it again.
    let mut dead = Value::Null;
    for _ in 0..200 {
        dead = c
            .expect(
                "GET /api/v1/outbox",
                agent_call(&admin, Method::GET, "/api/v1/outbox?status=dead"),
                200,
            )
            .await;
        if dead["deliveries"].as_array().is_some_and(|d| !d.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let delivery = dead["deliveries"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no dead-lettered delivery: {dead}"))
        .to_owned();
    assert_eq!(dead["deliveries"][0]["channel"], "webhook");
    // An empty status is the default, `dead`.
    let by_default = c
        .expect(
            "GET /api/v1/outbox",
            agent_call(&admin, Method::GET, "/api/v1/outbox?status="),
            200,
        )
        .await;
    assert_eq!(by_default["deliveries"][0]["id"], delivery.as_str());
    c.expect(
        "POST /api/v1/outbox/{id}/retry",
        agent_call(
            &admin,
            Method::POST,
            &format!("/api/v1/outbox/{delivery}/retry"),
        ),
        204,
    )
    .await;
    c.expect(
        "GET /api/v1/outbox",
        agent_call(&admin, Method::GET, "/api/v1/outbox?status=lost"),
        400,
    )
    .await;

    // Admin.
    c.expect(
        "GET /api/v1/agents",
        agent_call(&admin, Method::GET, "/api/v1/agents"),
        200,
    )
    .await;
    let ben = c
        .expect(
            "POST /api/v1/agents",
            agent_call(&admin, Method::POST, "/api/v1/agents").json(&json!({
                "email": "ben@example.com", "display_name": "Ben", "password": "a long enough password", "role": "agent"
            })),
            201,
        )
        .await;
    let cleo = c
        .expect(
            "POST /api/v1/agents",
            agent_call(&admin, Method::POST, "/api/v1/agents").json(&json!({
                "email": "cleo@example.com", "display_name": "Cleo", "role": "agent"
            })),
            201,
        )
        .await;
    let ben_path = format!("/api/v1/agents/{}", ben["agent"]["id"].as_str().unwrap());
    let cleo_path = format!("/api/v1/agents/{}", cleo["agent"]["id"].as_str().unwrap());
    c.expect(
        "PATCH /api/v1/agents/{id}",
        agent_call(&admin, Method::PATCH, &cleo_path)
            .json(&json!({ "display_name": "Cleopatra", "max_chats": 3, "active": false })),
        200,
    )
    .await;
    c.expect(
        "PATCH /api/v1/agents/{id}",
        agent_call(&admin, Method::PATCH, &ben_path).json(&json!({ "role": "boss" })),
        400,
    )
    .await;
    c.expect(
        "PATCH /api/v1/agents/{id}",
        agent_call(
            &admin,
            Method::PATCH,
            &format!("/api/v1/agents/{}", admin.id),
        )
        .json(&json!({ "active": false })),
        409,
    )
    .await;
    c.expect(
        "GET /api/v1/bots",
        agent_call(&admin, Method::GET, "/api/v1/bots"),
        200,
    )
    .await;
    // Bots: create, rename, archive; an archived bot's widget is gone.
    let created = c
        .expect(
            "POST /api/v1/bots",
            agent_call(&admin, Method::POST, "/api/v1/bots")
                .json(&json!({ "name": "Sales", "persona": "Brief and friendly." })),
            201,
        )
        .await;
    let sales = created["bot"]["id"].as_str().unwrap().to_owned();
    c.expect(
        "POST /api/v1/bots",
        agent_call(&admin, Method::POST, "/api/v1/bots").json(&json!({ "name": "  " })),
        400,
    )
    .await;
    c.expect(
        "PATCH /api/v1/bots/{id}",
        agent_call(&admin, Method::PATCH, &format!("/api/v1/bots/{sales}"))
            .json(&json!({ "greeting": "Looking for a plan?" })),
        200,
    )
    .await;
    c.expect(
        "DELETE /api/v1/bots/{id}",
        agent_call(&admin, Method::DELETE, &format!("/api/v1/bots/{sales}")),
        204,
    )
    .await;
    c.expect(
        "GET /api/v1/bots",
        agent_call(&admin, Method::GET, "/api/v1/bots?archived=true"),
        200,
    )
    .await;
    c.expect(
        "GET /api/v1/widget/bots/{bot_id}",
        http.get(format!("{base}/api/v1/widget/bots/{sales}")),
        410,
    )
    .await;
    c.expect(
        "POST /api/v1/widget/conversations",
        http.post(format!("{base}/api/v1/widget/conversations"))
            .json(&json!({ "bot_id": sales })),
        410,
    )
    .await;
    let settings_url = format!("/api/v1/bots/{bot}/handoff-settings");
    let mut settings = c
        .expect(
            "GET /api/v1/bots/{id}/handoff-settings",
            agent_call(&admin, Method::GET, &settings_url),
            200,
        )
        .await;
    settings["accept_timeout_seconds"] = json!(90);
    c.expect(
        "PUT /api/v1/bots/{id}/handoff-settings",
        agent_call(&admin, Method::PUT, &settings_url).json(&settings),
        200,
    )
    .await;

    let schedule_url = format!("/api/v1/bots/{bot}/schedule");
    let mut schedule = c
        .expect(
            "GET /api/v1/bots/{id}/schedule",
            agent_call(&admin, Method::GET, &schedule_url),
            200,
        )
        .await;
    schedule["timezone"] = json!("europe/berlin");
    schedule["weekly"]["monday"] =
        json!({ "enabled": true, "slots": [{ "start": "09:00", "end": "17:00" }] });
    schedule["overrides"] = json!([{ "date": "2026-12-25", "slots": [] }]);
    let stored = c
        .expect(
            "PUT /api/v1/bots/{id}/schedule",
            agent_call(&admin, Method::PUT, &schedule_url).json(&schedule),
            200,
        )
        .await;
    assert_eq!(stored["timezone"], "Europe/Berlin");
    let invalid = c
        .expect(
            "PUT /api/v1/bots/{id}/schedule",
            agent_call(&admin, Method::PUT, &schedule_url)
                .json(&json!({ "timezone": "Mars/Olympus", "weekly": { "monday": { "slots": [{ "start": "09:00", "end": "25:00" }] } } })),
            400,
        )
        .await;
    assert_eq!(
        invalid["error"]["errors"].as_array().map(Vec::len),
        Some(2),
        "{invalid}"
    );
    // Saved replies.
    let saved = c
        .expect(
            "POST /api/v1/saved-replies",
            agent_call(&admin, Method::POST, "/api/v1/saved-replies")
                .json(&json!({ "shortcut": "thanks", "text": "Thanks, {visitor_name}!" })),
            201,
        )
        .await;
    c.expect(
        "POST /api/v1/saved-replies",
        agent_call(&admin, Method::POST, "/api/v1/saved-replies")
            .json(&json!({ "shortcut": "thanks", "text": "Again" })),
        409,
    )
    .await;
    c.expect(
        "POST /api/v1/saved-replies",
        agent_call(&admin, Method::POST, "/api/v1/saved-replies")
            .json(&json!({ "shortcut": "no spaces allowed", "text": "x" })),
        400,
    )
    .await;
    c.expect(
        "GET /api/v1/saved-replies",
        agent_call(&admin, Method::GET, "/api/v1/saved-replies"),
        200,
    )
    .await;
    let saved_url = format!(
        "/api/v1/saved-replies/{}",
        saved["saved_reply"]["id"].as_str().unwrap()
    );
    c.expect(
        "PUT /api/v1/saved-replies/{id}",
        agent_call(&admin, Method::PUT, &saved_url)
            .json(&json!({ "shortcut": "thank-you", "text": "Thank you!" })),
        200,
    )
    .await;
    c.expect(
        "DELETE /api/v1/saved-replies/{id}",
        agent_call(&admin, Method::DELETE, &saved_url),
        204,
    )
    .await;
    c.expect(
        "DELETE /api/v1/saved-replies/{id}",
        agent_call(&admin, Method::DELETE, &saved_url),
        404,
    )
    .await;

    // What the trigger engine would do, as the Agent Editor's "Try a sentence" box asks.
    c.expect(
        "POST /api/v1/triggers/explain",
        agent_call(&admin, Method::POST, "/api/v1/triggers/explain")
            .json(&json!({ "text": "no more bots please", "settings": { "frustration": "off" } })),
        200,
    )
    .await;
    c.expect(
        "POST /api/v1/triggers/explain",
        agent_call(&admin, Method::POST, "/api/v1/triggers/explain")
            .json(&json!({ "messages": [{ "author": "robot", "text": "hi" }] })),
        400,
    )
    .await;

    // The whole Handoff tool, as the Agent Editor loads and saves it.
    c.expect(
        "GET /api/v1/timezones",
        agent_call(&admin, Method::GET, "/api/v1/timezones"),
        200,
    )
    .await;
    let tool_url = format!("/api/v1/bots/{bot}/handoff");
    let mut tool = c
        .expect(
            "GET /api/v1/bots/{id}/handoff",
            agent_call(&admin, Method::GET, &tool_url),
            200,
        )
        .await;
    tool["settings"]["ai_triggers"]["sales_opportunity"] = json!("off");
    let saved = c
        .expect(
            "PUT /api/v1/bots/{id}/handoff",
            agent_call(&admin, Method::PUT, &tool_url)
                .json(&json!({ "settings": tool["settings"], "schedule": tool["schedule"] })),
            200,
        )
        .await;
    assert_eq!(saved["settings"]["ai_triggers"]["sales_opportunity"], "off");
    let refused = c
        .expect(
            "PUT /api/v1/bots/{id}/handoff",
            agent_call(&admin, Method::PUT, &tool_url).json(
                &json!({ "settings": tool["settings"], "schedule": { "timezone": "Mars/Olympus" } }),
            ),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "schedule.timezone");

    // The schedule is read as raw bytes: over the body limit, the framework answers in plain text.
    c.expect(
        "PUT /api/v1/bots/{id}/schedule",
        agent_call(&admin, Method::PUT, &schedule_url).json(
            &json!({ "timezone": "x".repeat(baton_server::http::admin::MAX_SCHEDULE_BODY_BYTES) }),
        ),
        413,
    )
    .await;
    let at = c
        .expect(
            "GET /api/v1/bots/{id}/availability",
            agent_call(
                &admin,
                Method::GET,
                &format!("/api/v1/bots/{bot}/availability?at=2026-11-30T10:00:00Z"),
            ),
            200,
        )
        .await;
    assert_eq!(
        at["schedule_open"], true,
        "Monday 11:00 in Berlin is open: {at}"
    );

    // The editor's limits and its preview of an unsaved schedule (nothing is stored).
    let limits = c
        .expect(
            "GET /api/v1/limits",
            agent_call(&agent, Method::GET, "/api/v1/limits"),
            200,
        )
        .await;
    assert_eq!(limits["schedule"]["slots_per_day"], 12, "{limits}");
    c.expect(
        "GET /api/v1/limits",
        http.get(format!("{base}/api/v1/limits")),
        401,
    )
    .await;
    let preview_url = format!("/api/v1/bots/{bot}/schedule/preview?at=2026-11-30T10:00:00Z");
    let monday = json!({ "timezone": "Europe/Berlin", "weekly": {
        "monday": { "enabled": true, "slots": [{ "start": "09:00", "end": "17:00" }] }
    } });
    let preview = c
        .expect(
            "POST /api/v1/bots/{id}/schedule/preview",
            agent_call(&admin, Method::POST, &preview_url).json(&monday),
            200,
        )
        .await;
    assert_eq!(preview["open"], true, "{preview}");
    assert_eq!(preview["next_change"], "2026-11-30T16:00:00Z", "{preview}");
    c.expect(
        "POST /api/v1/bots/{id}/schedule/preview",
        agent_call(&admin, Method::POST, &preview_url).json(&json!({ "timezone": "Mars/Olympus" })),
        400,
    )
    .await;
    c.expect(
        "POST /api/v1/bots/{id}/schedule/preview",
        agent_call(&agent, Method::POST, &preview_url).json(&monday),
        403,
    )
    .await;

    // Knowledge, admins only: Q&A entries, Markdown documents, the search preview.
    use baton_server::http::knowledge::{
        MAX_ANSWER_CHARS, MAX_DOCUMENT_BYTES, MAX_ENTRIES_PER_BOT, MAX_TITLE_CHARS,
    };
    let knowledge_url = format!("/api/v1/bots/{bot}/knowledge");
    let listed = c
        .expect(
            "GET /api/v1/bots/{id}/knowledge",
            agent_call(&admin, Method::GET, &knowledge_url),
            200,
        )
        .await;
    assert_eq!(listed["entries"], json!([]));
    c.expect(
        "GET /api/v1/bots/{id}/knowledge",
        agent_call(&agent, Method::GET, &knowledge_url),
        403,
    )
    .await;
    let add = |body: Value| agent_call(&admin, Method::POST, &knowledge_url).json(&body);
    let qa = c
        .expect(
            "POST /api/v1/bots/{id}/knowledge",
            add(json!({
                "kind": "qa",
                "title": "  Can I change my delivery address?  ",
                "body": "Yes, until the order ships: open the order and choose Change address."
            })),
            201,
        )
        .await;
    assert_eq!(
        qa["entry"]["title"], "Can I change my delivery address?",
        "stored trimmed"
    );
    let qa_id = qa["entry"]["id"].as_str().unwrap().to_owned();
    // A document of exactly the largest size fits its route's own body limit.
    let mut markdown = String::from(
        "# Shipping guide\n\nParcels leave the warehouse within two working days.\n\n\
         ## Returns\n\nBring the receipt within 30 days; refunds take five days.\n\n\
         ## Tracking\n\n",
    );
    while markdown.len() < MAX_DOCUMENT_BYTES {
        markdown.push_str("Every parcel has a tracking number in its shipping email. ");
    }
    markdown.truncate(MAX_DOCUMENT_BYTES - 1);
    markdown.push('.');
    assert_eq!(markdown.len(), MAX_DOCUMENT_BYTES);
    let document = c
        .expect(
            "POST /api/v1/bots/{id}/knowledge",
            add(json!({ "kind": "document", "title": "Shipping guide", "body": markdown })),
            201,
        )
        .await;
    assert_eq!(document["entry"]["kind"], "document");
    let document_id = document["entry"]["id"].as_str().unwrap().to_owned();
    let too_large = c
        .expect(
            "POST /api/v1/bots/{id}/knowledge",
            add(json!({ "kind": "document", "title": "Shipping guide", "body": format!("{markdown}!") })),
            413,
        )
        .await;
    assert_eq!(too_large["error"]["field"], "body");
    let over_the_body_limit = c
        .expect(
            "POST /api/v1/bots/{id}/knowledge",
            add(json!({ "kind": "document", "title": "Huge", "body": "x".repeat(MAX_DOCUMENT_BYTES + 16 * 1024) })),
            413,
        )
        .await;
    assert_eq!(over_the_body_limit["error"]["field"], Value::Null);
    for (body, field) in [
        (json!({ "kind": "faq", "title": "t", "body": "x" }), "kind"),
        (
            json!({ "kind": "qa", "title": "two\nlines", "body": "x" }),
            "title",
        ),
        (
            json!({ "kind": "qa", "title": "t".repeat(MAX_TITLE_CHARS + 1), "body": "x" }),
            "title",
        ),
        (
            json!({ "kind": "qa", "title": "t", "body": "a".repeat(MAX_ANSWER_CHARS + 1) }),
            "body",
        ),
        (
            json!({ "kind": "document", "title": "t", "body": "   " }),
            "body",
        ),
    ] {
        let refused = c
            .expect("POST /api/v1/bots/{id}/knowledge", add(body), 400)
            .await;
        assert_eq!(refused["error"]["field"], field, "{refused}");
    }
    c.expect(
        "POST /api/v1/bots/{id}/knowledge",
        agent_call(&agent, Method::POST, &knowledge_url)
            .json(&json!({ "kind": "qa", "title": "t", "body": "x" })),
        403,
    )
    .await;
    let (_, stranger_bot) = app.other_workspace().await;
    let stranger_url = format!("/api/v1/bots/{}/knowledge", stranger_bot.id);
    c.expect(
        "GET /api/v1/bots/{id}/knowledge",
        agent_call(&admin, Method::GET, &stranger_url),
        404,
    )
    .await;
    c.expect(
        "POST /api/v1/bots/{id}/knowledge",
        agent_call(&admin, Method::POST, &stranger_url)
            .json(&json!({ "kind": "qa", "title": "t", "body": "x" })),
        404,
    )
    .await;
    // A bot holds at most MAX_ENTRIES_PER_BOT entries (filled through the store: quicker).
    let full = app
        .store()
        .create_bot(
            app.workspace.id,
            "Full bot",
            "Hi",
            &baton_storage::HandoffSettings::default(),
        )
        .await
        .unwrap();
    for n in 0..MAX_ENTRIES_PER_BOT {
        app.store()
            .add_knowledge(
                full.id,
                baton_storage::KnowledgeKind::Qa,
                &format!("Question {n}?"),
                "An answer.",
            )
            .await
            .unwrap();
    }
    let refused = c
        .expect(
            "POST /api/v1/bots/{id}/knowledge",
            agent_call(
                &admin,
                Method::POST,
                &format!("/api/v1/bots/{}/knowledge", full.id),
            )
            .json(&json!({ "kind": "qa", "title": "One more?", "body": "No." })),
            409,
        )
        .await;
    assert_eq!(refused["error"]["code"], "conflict");
    let all = c
        .expect(
            "GET /api/v1/bots/{id}/knowledge",
            agent_call(
                &admin,
                Method::GET,
                &format!("/api/v1/bots/{}/knowledge", full.id),
            ),
            200,
        )
        .await;
    assert_eq!(
        all["entries"].as_array().map(Vec::len),
        Some(MAX_ENTRIES_PER_BOT as usize)
    );

    // The search preview finds both kinds, with their sources.
    let search = |query: &str| {
        agent_call(
            &admin,
            Method::GET,
            &format!("{knowledge_url}/search?{query}"),
        )
    };
    let found = c
        .expect(
            "GET /api/v1/bots/{id}/knowledge/search",
            search("q=change%20my%20delivery%20address&k=3"),
            200,
        )
        .await;
    assert_eq!(found["hits"][0]["source"]["kind"], "qa", "{found}");
    assert_eq!(found["hits"][0]["source"]["id"], qa_id.as_str());
    assert!(found["hits"].as_array().unwrap().len() <= 3);
    let found = c
        .expect(
            "GET /api/v1/bots/{id}/knowledge/search",
            search("q=receipt%20refunds"),
            200,
        )
        .await;
    let source = &found["hits"][0]["source"];
    assert_eq!(source["kind"], "document", "{found}");
    assert_eq!(source["id"], document_id.as_str());
    assert_eq!(source["title"], "Shipping guide");
    assert_eq!(source["heading_path"], json!(["Returns"]));
    // k is clamped to 1–20.
    for (k, most) in [(0, 1), (50, 20)] {
        let found = c
            .expect(
                "GET /api/v1/bots/{id}/knowledge/search",
                search(&format!("q=tracking%20parcel&k={k}")),
                200,
            )
            .await;
        let n = found["hits"].as_array().unwrap().len();
        assert!(n >= 1 && n <= most, "k={k}: {n} hits");
    }
    for (query, field) in [
        ("q=%20".to_owned(), "q"),
        (format!("q={}", "a".repeat(1001)), "q"),
        ("k=3".to_owned(), "query"),
        ("q=x&k=-1".to_owned(), "query"),
    ] {
        let refused = c
            .expect(
                "GET /api/v1/bots/{id}/knowledge/search",
                search(&query),
                400,
            )
            .await;
        assert_eq!(refused["error"]["field"], field, "{query}");
    }
    c.expect(
        "GET /api/v1/bots/{id}/knowledge/search",
        agent_call(&agent, Method::GET, &format!("{knowledge_url}/search?q=x")),
        403,
    )
    .await;
    c.expect(
        "GET /api/v1/bots/{id}/knowledge/search",
        agent_call(&admin, Method::GET, &format!("{stranger_url}/search?q=x")),
        404,
    )
    .await;

    // Editing and deleting one entry.
    let qa_url = format!("{knowledge_url}/{qa_id}");
    let edit = |url: &str, body: Value| agent_call(&admin, Method::PUT, url).json(&body);
    c.expect(
        "PUT /api/v1/bots/{id}/knowledge/{entry_id}",
        edit(
            &qa_url,
            json!({ "title": "Can I change my delivery address?", "body": "Yes, until the order ships." }),
        ),
        204,
    )
    .await;
    let listed = c
        .expect(
            "GET /api/v1/bots/{id}/knowledge",
            agent_call(&admin, Method::GET, &knowledge_url),
            200,
        )
        .await;
    assert_eq!(listed["entries"][0]["body"], "Yes, until the order ships.");
    let refused = c
        .expect(
            "PUT /api/v1/bots/{id}/knowledge/{entry_id}",
            edit(
                &qa_url,
                json!({ "title": "t", "body": "a".repeat(MAX_ANSWER_CHARS + 1) }),
            ),
            400,
        )
        .await;
    assert_eq!(refused["error"]["field"], "body");
    let refused = c
        .expect(
            "PUT /api/v1/bots/{id}/knowledge/{entry_id}",
            edit(
                &format!("{knowledge_url}/{document_id}"),
                json!({ "title": "Shipping guide", "body": format!("{markdown}!") }),
            ),
            413,
        )
        .await;
    assert_eq!(refused["error"]["field"], "body");
    c.expect(
        "PUT /api/v1/bots/{id}/knowledge/{entry_id}",
        edit(
            &format!("{knowledge_url}/{}", uuid::Uuid::now_v7()),
            json!({ "title": "t", "body": "x" }),
        ),
        404,
    )
    .await;
    c.expect(
        "PUT /api/v1/bots/{id}/knowledge/{entry_id}",
        agent_call(&agent, Method::PUT, &qa_url).json(&json!({ "title": "t", "body": "x" })),
        403,
    )
    .await;
    c.expect(
        "DELETE /api/v1/bots/{id}/knowledge/{entry_id}",
        agent_call(&agent, Method::DELETE, &qa_url),
        403,
    )
    .await;
    c.expect(
        "DELETE /api/v1/bots/{id}/knowledge/{entry_id}",
        agent_call(&admin, Method::DELETE, &qa_url),
        204,
    )
    .await;
    c.expect(
        "DELETE /api/v1/bots/{id}/knowledge/{entry_id}",
        agent_call(&admin, Method::DELETE, &qa_url),
        404,
    )
    .await;
    c.expect(
        "DELETE /api/v1/bots/{id}/knowledge/{entry_id}",
        agent_call(
            &admin,
            Method::DELETE,
            &format!("{stranger_url}/{document_id}"),
        ),
        404,
    )
    .await;

    // Errors have the documented shape too.
    c.expect(
        "POST /api/v1/widget/conversations/{id}/messages",
        http.post(visitor.url("/messages"))
            .bearer_auth(&token)
            .json(&json!({ "client_id": "bad id", "text": "x" })),
        400,
    )
    .await;
    c.expect(
        "POST /api/v1/auth/login",
        http.post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "email": "nobody@example.com", "password": "wrong" })),
        401,
    )
    .await;
    c.expect(
        "POST /api/v1/agents",
        agent_call(&agent, Method::POST, "/api/v1/agents").json(&json!({})),
        403,
    )
    .await;
    c.expect(
        "POST /api/v1/handoffs/{id}/accept",
        agent_call(
            &agent,
            Method::POST,
            &format!("/api/v1/handoffs/{handoff}/accept"),
        ),
        409,
    )
    .await;

    // Logging in and out, last.
    let login = c
        .expect(
            "POST /api/v1/auth/login",
            http.post(format!("{base}/api/v1/auth/login"))
                .json(&json!({ "email": "ben@example.com", "password": "a long enough password" })),
            200,
        )
        .await;
    assert!(login["csrf_token"].is_string());
    c.expect(
        "POST /api/v1/auth/logout",
        agent_call(&admin, Method::POST, "/api/v1/auth/logout"),
        204,
    )
    .await;

    // Every HTTP operation (the WebSockets aside) was called and answered as documented.
    let not_called: Vec<String> = c
        .ops
        .keys()
        .filter(|(path, _)| !path.ends_with("/ws"))
        .filter(|key| !c.exercised.contains(*key))
        .map(|(p, m)| format!("{m} {p}"))
        .collect();
    assert!(
        not_called.is_empty(),
        "documented operations this test does not call yet (add them above):\n  {}",
        not_called.join("\n  ")
    );
}
