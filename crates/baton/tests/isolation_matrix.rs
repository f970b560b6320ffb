//! The isolation matrix: two workspaces made with `baton workspace create`, and every operation
//! of the API (read from the server's own OpenAPI document, so a new route cannot be forgotten)
//! tried by one workspace's admin with the other's ids, and every widget route with the other's
//! visitor token. Everything is refused, nothing of the other workspace shows in any list, and the
//! other workspace's data is unchanged afterwards.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn baton(data_dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("BATON_DATABASE_URL")
        .output()
        .expect("the baton binary runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{text}");
    text
}

fn password_of(output: &str) -> String {
    output
        .lines()
        .find_map(|l| l.split("Password:").nth(1))
        .and_then(|p| p.split_whitespace().next())
        .expect("the one-time password is printed")
        .to_owned()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An admin's session: cookie and CSRF token.
struct Admin {
    http: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
}

impl Admin {
    async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> Admin {
        let response = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{email} logs in");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        Admin {
            http: http.clone(),
            base: base.to_owned(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (u16, String) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, text) = self.call(method.clone(), path, body.as_ref()).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {text}"
        );
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

/// A visitor's conversation and token.
struct Visitor {
    conversation: String,
    token: String,
}

async fn start_visitor(http: &reqwest::Client, base: &str, bot: &str) -> Visitor {
    let body: Value = http
        .post(format!("{base}/api/v1/widget/conversations"))
        .json(&json!({ "bot_id": bot, "visitor_name": "Vera" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Visitor {
        conversation: body["conversation"]["id"].as_str().unwrap().to_owned(),
        token: body["token"].as_str().unwrap().to_owned(),
    }
}

/// Everything of one workspace the other will try to reach.
struct Owned {
    bot: String,
    agent: String,
    knowledge: String,
    conversation: Visitor,
    handoff: String,
    ticket: String,
    outbox: String,
    saved_reply: String,
    attachment: String,
    workspace: String,
}

/// Fills a workspace with one of everything, through its admin and a visitor of its bot.
async fn populate(admin: &Admin, http: &reqwest::Client, base: &str, addr: &str) -> Owned {
    let bots = admin.ok(Method::GET, "/api/v1/bots", None).await;
    let bot = bots["bots"][0]["id"].as_str().unwrap().to_owned();
    let workspace = bots["bots"][0]["workspace_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let entry = admin
        .ok(
            Method::POST,
            &format!("/api/v1/bots/{bot}/knowledge"),
            Some(json!({ "kind": "qa", "title": "Opening hours?", "body": "Nine to five." })),
        )
        .await;
    let knowledge = entry["entry"]["id"]
        .as_str()
        .or(entry["id"].as_str())
        .expect("the new entry's id")
        .to_owned();
    let agent = admin
        .ok(
            Method::POST,
            "/api/v1/agents",
            Some(json!({ "email": format!("ben-{}@example.com", uuid::Uuid::now_v7()), "display_name": "Ben", "role": "agent" })),
        )
        .await["agent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let saved_reply = admin
        .ok(
            Method::POST,
            "/api/v1/saved-replies",
            Some(json!({ "shortcut": "hello", "text": "Hello {visitor_name}!" })),
        )
        .await["saved_reply"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A webhook on a public name: its deliveries fail here (no network), leaving outbox rows.
    admin
        .ok(
            Method::PUT,
            "/api/v1/integrations",
            Some(json!({ "webhook_url": "https://hooks.example.com/baton" })),
        )
        .await;

    // A ticket: a visitor leaves their details.
    let ticket_visitor = start_visitor(http, base, &bot).await;
    let widget = |v: &Visitor, tail: &str| {
        http.post(format!(
            "{base}/api/v1/widget/conversations/{}{tail}",
            v.conversation
        ))
        .bearer_auth(&v.token)
    };
    assert!(
        widget(&ticket_visitor, "/ticket")
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    let lead: Value = widget(&ticket_visitor, "/lead")
        .json(&json!({ "client_id": "lead-1", "email": "rita@example.net" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ticket = lead["ticket"]["id"].as_str().unwrap().to_owned();

    // A waiting handoff: the admin's panel is open, so it is offered live.
    let mut request = format!("ws://{addr}/api/v1/panel/ws")
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("cookie", admin.cookie.parse().unwrap());
    let (panel, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let conversation = start_visitor(http, base, &bot).await;
    let mut handoff = None;
    for _ in 0..50 {
        let asked = widget(&conversation, "/handoff").send().await.unwrap();
        assert!(asked.status().is_success() || asked.status() == 409);
        let waiting = admin.ok(Method::GET, "/api/v1/handoffs", None).await;
        if let Some(id) = waiting["handoffs"][0]["id"].as_str() {
            handoff = Some(id.to_owned());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(panel);
    let handoff = handoff.expect("a waiting handoff");

    // A file the visitor sent.
    let boundary = "isolation-boundary";
    let upload = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\nfile-1\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"order.txt\"\r\n\r\n\
         order 1234\r\n--{boundary}--\r\n"
    );
    let sent: Value = widget(&conversation, "/attachments")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(upload)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let attachment = sent["message"]["data"]["attachment_id"]
        .as_str()
        .expect("the file was stored")
        .to_owned();

    let mut outbox = None;
    for _ in 0..100 {
        for status in ["pending", "dead"] {
            let items = admin
                .ok(
                    Method::GET,
                    &format!("/api/v1/outbox?status={status}"),
                    None,
                )
                .await;
            if let Some(id) = items["deliveries"][0]["id"].as_str() {
                outbox = Some(id.to_owned());
            }
        }
        if outbox.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Owned {
        bot,
        agent,
        knowledge,
        conversation,
        handoff,
        ticket,
        outbox: outbox.expect("an outbox row"),
        saved_reply,
        attachment,
        workspace,
    }
}

/// The operations that name no other workspace's object: lists, the caller's own session and
/// settings, public documents. They are checked for leaks by what they return, not by id.
const WITHOUT_IDS: &[&str] = &[
    "GET /healthz",
    "GET /api/v1/openapi.json",
    "POST /api/v1/widget/conversations",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/logout",
    "GET /api/v1/me",
    "POST /api/v1/me/status",
    "GET /api/v1/handoffs",
    "GET /api/v1/conversations",
    "GET /api/v1/panel/ws",
    "GET /api/v1/agents",
    "POST /api/v1/agents",
    "GET /api/v1/bots",
    "POST /api/v1/bots",
    "GET /api/v1/timezones",
    "GET /api/v1/limits",
    "GET /api/v1/tickets",
    "GET /api/v1/integrations",
    "PUT /api/v1/integrations",
    "POST /api/v1/integrations/webhook-secret",
    "POST /api/v1/integrations/identity-secret",
    "POST /api/v1/integrations/freshchat/test",
    "GET /api/v1/outbox",
    "GET /api/v1/saved-replies",
    "POST /api/v1/saved-replies",
    "POST /api/v1/triggers/explain",
];

/// Public by design: a widget on any site loads its bot by id (an archived or unknown bot is a
/// 404/410); FreshChat's webhook is authorised by its RSA signature, checked separately.
const PUBLIC: &[&str] = &[
    "GET /api/v1/widget/bots/{bot_id}",
    "GET /api/v1/widget/bots/{bot_id}/availability",
    "POST /api/v1/integrations/freshchat/webhook/{workspace_id}",
];

/// Served but not in the document: the Swagger UI page that shows it (`/api/docs` and its files).
/// Static and the same for everyone: it names no workspace's object and carries none.
const DOCS_PAGE: &[&str] = &["/api/docs/", "/api/docs/swagger-initializer.js"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_refuses_the_other_workspaces_ids_and_tokens() {
    let dir = std::env::temp_dir().join(format!("baton-isolation-{}", uuid::Uuid::now_v7()));
    let acme_out = baton(
        &dir,
        &[
            "workspace",
            "create",
            "--name",
            "Acme",
            "--admin-email",
            "admin@acme.example",
        ],
    );
    let beta_out = baton(
        &dir,
        &[
            "workspace",
            "create",
            "--name",
            "Beta",
            "--admin-email",
            "admin@beta.example",
        ],
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["serve", "--listen", &addr])
        .arg("--data-dir")
        .arg(&dir)
        .env_remove("BATON_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().contains("Agent Editor") {
            break;
        }
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let base = format!("http://{addr}");
    let acme = Admin::login(&http, &base, "admin@acme.example", &password_of(&acme_out)).await;
    let beta = Admin::login(&http, &base, "admin@beta.example", &password_of(&beta_out)).await;
    let theirs = populate(&beta, &http, &base, &addr).await;
    let ours = populate(&acme, &http, &base, &addr).await;
    let beta_before = snapshot(&beta, &theirs).await;

    // Every documented operation, from the server's own document.
    let document: Value = http
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut tried = BTreeSet::new();
    let mut leaks = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let name = format!("{method} {path}");
            if WITHOUT_IDS.contains(&name.as_str()) || PUBLIC.contains(&name.as_str()) {
                tried.insert(name);
                continue;
            }
            let mut body =
                operation["requestBody"]["content"]["application/json"]["example"].clone();
            if body.is_null() && method == Method::PUT {
                // A valid document: what the same route answers for our own object.
                let own = path
                    .replace("{bot_id}", &ours.bot)
                    .replace("{id}", &id_for(path, &ours));
                body = acme.ok(Method::GET, &own, None).await;
                keep_documented_fields(&mut body, &document, &operation["requestBody"]);
            }
            let body = (!body.is_null()).then_some(body);
            let url = path
                .replace("{bot_id}", &theirs.bot)
                .replace("{entry_id}", &theirs.knowledge)
                .replace("{workspace_id}", &theirs.workspace)
                .replace("{attachment_id}", &theirs.attachment)
                .replace("{id}", &id_for(path, &theirs));
            let url = if path == "/api/v1/analytics/handoffs" {
                format!("{url}?bot_id={}", theirs.bot)
            } else if path.ends_with("/knowledge/search") {
                format!("{url}?q=hours")
            } else if path == "/api/v1/widget/conversations/{id}/ws" {
                format!("{url}?token={}&after=0", ours.conversation.token)
            } else {
                url
            };
            let (status, text) = if path.ends_with("/ws") {
                // A real WebSocket handshake, refused before the upgrade.
                match tokio_tungstenite::connect_async(format!("ws://{addr}{url}")).await {
                    Ok(_) => (101, "upgraded".to_owned()),
                    Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                        (response.status().as_u16(), String::new())
                    }
                    Err(e) => (0, e.to_string()),
                }
            } else if path.starts_with("/api/v1/widget/") {
                // Our visitor's token on their conversation.
                let mut request = http
                    .request(method.clone(), format!("{base}{url}"))
                    .bearer_auth(&ours.conversation.token);
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.text().await.unwrap())
            } else {
                acme.call(method.clone(), &url, body.as_ref()).await
            };
            let refused = if path.starts_with("/api/v1/widget/") {
                matches!(status, 403 | 404)
            } else {
                status == 404
            };
            if !refused {
                leaks.push(format!("{name} ({url}): {status} {text}"));
            }
            tried.insert(name);
        }
    }
    assert!(leaks.is_empty(), "not refused:\n{}", leaks.join("\n"));

    // Mixed ids: our bot with their knowledge entry.
    let (status, _) = acme
        .call(
            Method::DELETE,
            &format!("/api/v1/bots/{}/knowledge/{}", ours.bot, theirs.knowledge),
            None,
        )
        .await;
    assert_eq!(status, 404, "their entry under our bot");

    // Lists and analytics show nothing of theirs.
    for path in [
        "/api/v1/handoffs",
        "/api/v1/conversations",
        "/api/v1/agents",
        "/api/v1/bots?archived=true",
        "/api/v1/tickets",
        "/api/v1/outbox?status=pending",
        "/api/v1/outbox?status=dead",
        "/api/v1/saved-replies",
        "/api/v1/analytics/handoffs",
        "/api/v1/analytics/handoffs?format=csv",
    ] {
        let (status, text) = acme.call(Method::GET, path, None).await;
        assert_eq!(status, 200, "{path}: {text}");
        for id in [
            &theirs.bot,
            &theirs.agent,
            &theirs.conversation.conversation,
            &theirs.handoff,
            &theirs.ticket,
            &theirs.outbox,
            &theirs.saved_reply,
        ] {
            assert!(!text.contains(id.as_str()), "{path} shows {id}: {text}");
        }
    }
    // Their visitor token opens nothing of ours either.
    let response = http
        .get(format!(
            "{base}/api/v1/widget/conversations/{}/messages",
            ours.conversation.conversation
        ))
        .bearer_auth(&theirs.conversation.token)
        .send()
        .await
        .unwrap();
    assert!(matches!(response.status().as_u16(), 403 | 404));
    // Nor our token their files, in the header or the query.
    let file = format!("{base}/api/v1/attachments/{}", theirs.attachment);
    let response = http
        .get(&file)
        .bearer_auth(&ours.conversation.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let response = http
        .get(format!("{file}?token={}", ours.conversation.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    // And nothing of theirs changed.
    assert_eq!(snapshot(&beta, &theirs).await, beta_before);
    // Every operation of the document was tried or listed above.
    let documented: BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|m| m.to_uppercase().parse::<Method>().is_ok())
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    assert_eq!(tried, documented);

    // The docs page is the same for either admin and for nobody.
    for path in DOCS_PAGE {
        let anonymous = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!anonymous.is_empty(), "{path}");
        for admin in [&acme, &beta] {
            let (status, body) = admin.call(Method::GET, path, None).await;
            assert_eq!((status, &body), (200, &anonymous), "{path}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Keeps only the fields the operation's request schema names (a GET answer may carry more).
fn keep_documented_fields(body: &mut Value, document: &Value, request: &Value) {
    let mut schema = &request["content"]["application/json"]["schema"];
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or("");
        schema = &document["components"]["schemas"][name];
    }
    if let (Some(properties), Some(fields)) =
        (schema["properties"].as_object(), body.as_object_mut())
    {
        fields.retain(|key, _| properties.contains_key(key));
    }
}

/// Which of a workspace's objects a path's `{id}` names.
fn id_for(path: &str, owned: &Owned) -> String {
    let segment = path
        .split("/{id}")
        .next()
        .and_then(|p| p.rsplit('/').next())
        .unwrap_or("");
    if !path.contains("{id}") {
        return String::new();
    }
    match segment {
        "bots" => owned.bot.clone(),
        "agents" => owned.agent.clone(),
        "conversations" => owned.conversation.conversation.clone(),
        "handoffs" => owned.handoff.clone(),
        "tickets" => owned.ticket.clone(),
        "outbox" => owned.outbox.clone(),
        "saved-replies" => owned.saved_reply.clone(),
        other => panic!("{path}: which object does `{{id}}` under `{other}` name? add it here"),
    }
}

/// What their admin sees of their objects, to compare before and after.
async fn snapshot(admin: &Admin, owned: &Owned) -> Vec<String> {
    let mut seen = Vec::new();
    for path in [
        "/api/v1/bots?archived=true".to_owned(),
        "/api/v1/agents".to_owned(),
        format!("/api/v1/bots/{}/knowledge", owned.bot),
        format!("/api/v1/bots/{}/handoff-settings", owned.bot),
        format!("/api/v1/bots/{}/schedule", owned.bot),
        format!("/api/v1/tickets/{}", owned.ticket),
        format!("/api/v1/conversations/{}", owned.conversation.conversation),
        "/api/v1/handoffs".to_owned(),
        "/api/v1/saved-replies".to_owned(),
    ] {
        let mut value = admin.ok(Method::GET, &path, None).await;
        forget_volatile(&mut value);
        seen.push(format!("{path}: {value}"));
    }
    seen
}

/// Drops what changes by itself (presence, queue positions, clocks).
fn forget_volatile(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in [
                "connected",
                "status_changed_at",
                "position",
                "updated_at",
                "escalated_at",
            ] {
                map.remove(key);
            }
            for v in map.values_mut() {
                forget_volatile(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(forget_volatile),
        _ => {}
    }
}
