//! The admin's texts in the visitor's language: a bot's greeting, offline message and lead
//! capture texts may be given per language (`translations`); the widget and the conversation
//! show the visitor's language's text, else the text as written. Only known languages and texts
//! are accepted, within the base text's limits; a blank translation means the base text.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use baton_storage::Role;

async fn widget_bot(app: &TestApp, lang: &str) -> Value {
    reqwest::get(format!(
        "{}/api/v1/widget/bots/{}?lang={lang}",
        app.base, app.bot.id
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap()
}

#[tokio::test]
async fn a_german_visitor_is_greeted_in_german_and_others_as_written() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let response = admin
        .patch(
            &format!("/api/v1/bots/{}", app.bot.id),
            json!({ "translations": {
                "de": { "greeting": "  Hallo vom Testbot!  " },
                "fr": { "greeting": "   " }
            } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    // Trimmed; the blank French one means "use the greeting as written".
    assert_eq!(
        body["bot"]["translations"],
        json!({ "de": { "greeting": "Hallo vom Testbot!" } })
    );
    assert_eq!(body["bot"]["greeting"], "Hello from the test bot");

    assert_eq!(
        widget_bot(&app, "de-AT").await["greeting"],
        "Hallo vom Testbot!"
    );
    assert_eq!(
        widget_bot(&app, "fr").await["greeting"],
        "Hello from the test bot"
    );
    assert_eq!(
        widget_bot(&app, "en").await["greeting"],
        "Hello from the test bot"
    );

    // A conversation started in German gets the German greeting back.
    let started: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/widget/conversations", app.base))
        .json(&json!({ "bot_id": app.bot.id, "lang": "de" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(started["bot"]["greeting"], "Hallo vom Testbot!");

    // Changing the name alone keeps the translations.
    let response = admin
        .patch(
            &format!("/api/v1/bots/{}", app.bot.id),
            json!({ "name": "Renamed" }),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["bot"]["translations"]["de"]["greeting"],
        "Hallo vom Testbot!"
    );
}

#[tokio::test]
async fn the_offline_path_speaks_the_conversations_language() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let path = format!("/api/v1/bots/{}/handoff", app.bot.id);
    let mut tool: Value = admin.get(&path).await.json().await.unwrap();
    assert_eq!(tool["settings"]["translations"], json!({}));
    tool["settings"]["translations"] = json!({
        "de": {
            "offline_message": "Möchten Sie stattdessen ein Ticket eröffnen?",
            "lead_capture_prompt": "Wie lautet Ihre E-Mail-Adresse?",
            "lead_capture_success": "Danke! Wir melden uns."
        }
    });
    let response = admin
        .put(
            &path,
            json!({ "settings": tool["settings"], "schedule": tool["schedule"] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(
        saved["settings"]["translations"],
        tool["settings"]["translations"]
    );
    drop(admin);

    // Nobody is online: a German visitor reads the German reason, offline message and prompt.
    let german = app.visitor_in("de-CH").await;
    german.request_handoff().await;
    let history = german.history(0).await;
    let text_of = |history: &[Value], kind: &str| {
        history
            .iter()
            .find(|m| m["kind"] == kind)
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no {kind} in {history:?}"))
    };
    assert_eq!(
        text_of(&history, "handoff_offline"),
        "Gerade ist niemand aus unserem Team erreichbar. Möchten Sie stattdessen ein Ticket eröffnen?"
    );
    assert_eq!(
        text_of(&history, "lead_requested"),
        "Wie lautet Ihre E-Mail-Adresse?"
    );
    let response = german
        .http
        .post(german.url("/lead"))
        .bearer_auth(&german.token)
        .json(&json!({ "client_id": "lead-1", "email": "vera@example.com" }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let history = german.history(0).await;
    assert!(
        history
            .iter()
            .any(|m| m["text"] == "Danke! Wir melden uns."),
        "{history:?}"
    );

    // A French visitor has no translation: the texts as written, the reason in French.
    let french = app.visitor_in("fr").await;
    french.request_handoff().await;
    let history = french.history(0).await;
    assert_eq!(
        text_of(&history, "handoff_offline"),
        format!(
            "Personne de notre équipe n’est disponible pour le moment. {}",
            app.bot.handoff.offline_message
        )
    );
    assert_eq!(
        text_of(&history, "lead_requested"),
        app.bot.handoff.lead_capture_prompt
    );
}

#[tokio::test]
async fn saving_the_settings_without_translations_keeps_them() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let path = format!("/api/v1/bots/{}/handoff-settings", app.bot.id);
    let mut settings: Value = admin.get(&path).await.json().await.unwrap();
    settings["translations"] = json!({ "pt": { "offline_message": "Estamos offline." } });
    assert_eq!(
        admin.put(&path, settings.clone()).await.status(),
        StatusCode::OK
    );
    // The greeting's translations are the bot's own: the handoff settings leave them alone.
    admin
        .patch(
            &format!("/api/v1/bots/{}", app.bot.id),
            json!({ "translations": { "pt": { "greeting": "Olá!" } } }),
        )
        .await;
    settings.as_object_mut().unwrap().remove("translations");
    settings["offline_message"] = json!("We're away.");
    let response = admin.put(&path, settings).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["translations"]["pt"]["offline_message"],
        "Estamos offline."
    );
    let bots: Value = admin.get("/api/v1/bots").await.json().await.unwrap();
    let bot = &bots["bots"][0];
    assert_eq!(bot["translations"], json!({ "pt": { "greeting": "Olá!" } }));
    assert_eq!(
        bot["handoff"]["translations"],
        json!({ "pt": { "offline_message": "Estamos offline." } })
    );
}

#[tokio::test]
async fn unknown_languages_texts_and_overlong_translations_are_refused_by_field() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let bot_path = format!("/api/v1/bots/{}", app.bot.id);
    for (translations, field) in [
        (json!({ "xx": { "greeting": "Hi" } }), "translations.xx"),
        (
            json!({ "de-AT": { "greeting": "Hi" } }),
            "translations.de-AT",
        ),
        (
            json!({ "de": { "offline_message": "Weg" } }),
            "translations.de.offline_message",
        ),
        (
            json!({ "de": { "greeting": "x".repeat(501) } }),
            "translations.de.greeting",
        ),
        (
            json!({ "de": { "greeting": "a\u{7}b" } }),
            "translations.de.greeting",
        ),
    ] {
        let response = admin
            .patch(&bot_path, json!({ "translations": translations }))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{field}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    // A translation as long as the base text may be is fine.
    let response = admin
        .patch(
            &bot_path,
            json!({ "translations": { "de": { "greeting": "x".repeat(500) } } }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let tool_path = format!("/api/v1/bots/{}/handoff", app.bot.id);
    let mut tool: Value = admin.get(&tool_path).await.json().await.unwrap();
    tool["settings"]["translations"] = json!({
        "es": { "greeting": "Hola", "lead_capture_success": "x".repeat(1001) }
    });
    let response = admin
        .put(
            &tool_path,
            json!({ "settings": tool["settings"], "schedule": tool["schedule"] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "settings.translations.es.greeting",
            "settings.translations.es.lead_capture_success"
        ]
    );
}

#[tokio::test]
async fn lead_capture_in_chat_answers_in_the_visitors_language() {
    let app = spawn_app().await;
    let mut visitor = app.visitor_in("de").await;
    visitor.request_handoff().await;
    visitor.send("Hallo?").await;
    visitor.send("vera@example").await;
    visitor.send("nein danke").await;
    let history = visitor.history(0).await;
    let notes: Vec<&str> = history
        .iter()
        .filter(|m| m["author_kind"] == "system")
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&"Für ein Ticket brauche ich Ihre E-Mail-Adresse, etwa name@example.com. Oder schreiben Sie „nein danke“, um zurück zum Assistenten zu gehen."),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n
                .starts_with("Nach dem @ sollte eine Domain wie example.com stehen. Könnten Sie")),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"Kein Problem — Sie sind wieder bei unserem KI-Assistenten."),
        "{notes:?}"
    );
}

#[tokio::test]
async fn a_german_visitor_gets_the_german_knowledge_answer() {
    let app = spawn_app().await;
    let admin = app.agent_in(&app.workspace, "Ada", Role::Admin, 5).await;
    let path = format!("/api/v1/bots/{}/knowledge", app.bot.id);
    for (title, body) in [
        (
            "What does Baton Pro cost?",
            "Baton Pro costs 49 € a month and you can cancel it at any time.",
        ),
        (
            "Was kostet Baton Pro?",
            "Baton Pro kostet 49 € im Monat und Sie können es jederzeit kündigen.",
        ),
    ] {
        let response = admin
            .post(
                &path,
                Some(json!({ "kind": "qa", "title": title, "body": body })),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    for (lang, expected) in [
        (
            "de-DE",
            "Aus unseren FAQ: Baton Pro kostet 49 € im Monat und Sie können es jederzeit kündigen.",
        ),
        (
            "en",
            "From our FAQ: Baton Pro costs 49 € a month and you can cancel it at any time.",
        ),
    ] {
        let mut visitor = app.visitor_in(lang).await;
        let mut widget = visitor.ws(0).await;
        visitor.send("Baton Pro?").await;
        widget.next_message("text").await;
        let answer = widget.next_message("text").await;
        assert_eq!(answer["author_kind"], "bot");
        assert_eq!(answer["text"], expected, "{lang}");
    }
}

#[tokio::test]
async fn an_agents_join_resolve_and_the_reopening_are_told_in_the_visitors_language() {
    let app = spawn_app().await;
    let agent = app.agent("Bob").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor_in("pt-BR").await;
    let mut widget = visitor.ws(0).await;
    agent.take_handoff(&mut panel, &visitor).await;
    assert_eq!(
        widget.next_message("agent_joined").await["text"],
        "Bob entrou no chat."
    );
    let response = agent
        .post(
            &format!("/api/v1/conversations/{}/resolve", visitor.conversation_id),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let left = widget.next_message("agent_left").await;
    assert!(
        left["text"]
            .as_str()
            .unwrap()
            .starts_with("Bob saiu do chat e o marcou como resolvido."),
        "{left}"
    );
    visitor.send("Mais uma pergunta").await;
    assert_eq!(
        widget.next_message("reopened").await["text"],
        "Conversa reaberta."
    );
}
