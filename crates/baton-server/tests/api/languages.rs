//! The widget in the visitor's language: `GET /api/v1/widget/bots/{bot_id}?lang=…` serves every
//! text of the widget in the language asked for (its primary subtag), English when that language
//! is not spoken or none is named, and refuses a malformed tag naming `lang`.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn bot(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/widget/bots/{}{query}",
            app.base, app.bot.id
        ))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn german_is_served_when_asked_for() {
    let app = spawn_app().await;
    let (status, body) = bot(&app, "?lang=de").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["lang"], "de");
    assert_eq!(
        body["strings"]["talk_to_person"],
        "Mit einer Person sprechen"
    );
    assert_eq!(
        body["strings"]["composer_placeholder"],
        "Nachricht schreiben…"
    );
    // The bot's own fields are unchanged.
    assert_eq!(body["name"], app.bot.name.as_str());
    assert_eq!(body["max_message_bytes"], 4096);
}

#[tokio::test]
async fn a_regional_tag_gives_its_language() {
    let app = spawn_app().await;
    for (tag, lang, talk) in [
        ("de-AT", "de", "Mit einer Person sprechen"),
        ("fr-CA", "fr", "Parler à une personne"),
        ("pt-BR", "pt", "Falar com uma pessoa"),
        ("es-419", "es", "Hablar con una persona"),
    ] {
        let (status, body) = bot(&app, &format!("?lang={tag}")).await;
        assert_eq!(status, StatusCode::OK, "{tag}");
        assert_eq!(body["lang"], lang, "{tag}");
        assert_eq!(body["strings"]["talk_to_person"], talk, "{tag}");
    }
}

#[tokio::test]
async fn an_unknown_or_absent_language_gives_english() {
    let app = spawn_app().await;
    for query in ["?lang=xx", "", "?lang=", "?lang=ja-JP"] {
        let (status, body) = bot(&app, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(body["lang"], "en", "{query}");
        assert_eq!(
            body["strings"]["talk_to_person"], "Talk to a person",
            "{query}"
        );
        assert_eq!(body["strings"]["launcher_open"], "Open chat", "{query}");
    }
}

#[tokio::test]
async fn every_language_has_the_same_keys() {
    let app = spawn_app().await;
    let (_, english) = bot(&app, "?lang=en").await;
    let keys = |v: &Value| {
        let mut k: Vec<String> = v["strings"].as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    for lang in ["de", "fr", "es", "pt"] {
        let (_, body) = bot(&app, &format!("?lang={lang}")).await;
        assert_eq!(keys(&body), keys(&english), "{lang}");
        assert_ne!(body["strings"], english["strings"], "{lang}");
    }
}

#[tokio::test]
async fn a_malformed_tag_is_refused_naming_lang() {
    let app = spawn_app().await;
    let long = "a".repeat(36);
    for query in [
        "?lang=de_AT".to_owned(),
        "?lang=%3Cscript%3E".to_owned(),
        "?lang=de%20AT".to_owned(),
        format!("?lang={long}"),
    ] {
        let (status, body) = bot(&app, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"]["code"], "invalid", "{query}");
        assert_eq!(body["error"]["field"], "lang", "{query}");
    }
}

/// Starts a conversation with `lang` in the body: (status, body).
async fn start(app: &TestApp, lang: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/widget/conversations", app.base))
        .json(&serde_json::json!({ "bot_id": app.bot.id, "lang": lang }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_server_writes_its_notes_in_the_conversations_language() {
    let app = spawn_app().await;
    let (status, body) = start(&app, "de-AT").await;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["conversation"]["id"].as_str().unwrap();
    let token = body["token"].as_str().unwrap();
    let http = reqwest::Client::new();
    // Nobody is online: the reason the visitor reads is German, the admin's offline message as
    // written.
    let handoff = http
        .post(format!(
            "{}/api/v1/widget/conversations/{id}/handoff",
            app.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(handoff.status().is_success(), "{}", handoff.status());
    let history: Value = http
        .get(format!(
            "{}/api/v1/widget/conversations/{id}/messages",
            app.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let offline = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "handoff_offline")
        .expect("an offline note");
    let text = offline["text"].as_str().unwrap();
    assert!(
        text.starts_with("Gerade ist niemand aus unserem Team erreichbar."),
        "{text}"
    );
}

#[tokio::test]
async fn a_malformed_conversation_language_is_refused_naming_lang() {
    let app = spawn_app().await;
    let (status, body) = start(&app, "de_AT").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "lang");
    let (status, _) = start(&app, "xx").await;
    assert_eq!(status, StatusCode::CREATED);
}
