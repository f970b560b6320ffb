//! Reconnecting with the last sequence number seen yields exactly the missed events: no gap, no
//! duplicate.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::helpers::*;

fn seqs(frames: &[serde_json::Value]) -> Vec<i64> {
    frames
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| f["message"]["seq"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_reconnecting_widget_gets_exactly_the_missed_entries() {
    let app = spawn_app_with(
        |c| {
            c.limits.visitor_message_burst = 1000;
            c.limits.visitor_messages_per_minute = 10_000;
        },
        Arc::new(EchoEngine),
    )
    .await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    for i in 0..5 {
        visitor.send(&format!("first {i}")).await;
    }
    // Five visitor messages and five echoes.
    let mut seen = Vec::new();
    while seen.len() < 10 {
        seen.push(widget.next_of_type("message").await);
    }
    assert_eq!(seqs(&seen), (1..=10).collect::<Vec<_>>());
    drop(widget);

    // While disconnected, more happens.
    for i in 0..7 {
        visitor.send(&format!("second {i}")).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut widget = visitor.ws(10).await;
    let mut frames = Vec::new();
    loop {
        let frame = widget.next().await;
        if frame["type"] == "ready" {
            assert_eq!(frame["last_seq"], 24);
            break;
        }
        frames.push(frame);
    }
    assert_eq!(seqs(&frames), (11..=24).collect::<Vec<_>>());

    // And the stream continues live from there, without a gap.
    visitor.send("live").await;
    let live = widget.next_of_type("message").await;
    assert_eq!(live["message"]["seq"], 25);
}

#[tokio::test]
async fn many_messages_in_flight_arrive_once_each_and_in_order() {
    let app = spawn_app_with(
        |c| {
            c.limits.visitor_message_burst = 1000;
            c.limits.visitor_messages_per_minute = 100_000;
        },
        Arc::new(EchoEngine),
    )
    .await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    widget.next_of_type("ready").await;
    let sends = (0..100).map(|i| {
        let v = &visitor;
        async move {
            v.send_with_id(&format!("burst-{i}"), &format!("m{i}"))
                .await
        }
    });
    futures::future::join_all(sends).await;
    let mut got = Vec::new();
    while got.len() < 200 {
        got.push(
            widget.next_of_type("message").await["message"]["seq"]
                .as_i64()
                .unwrap(),
        );
    }
    assert_eq!(got, (1..=200).collect::<Vec<_>>());

    // A second connection resuming from the middle sees the rest once.
    let mut late = visitor.ws(150).await;
    let mut rest = Vec::new();
    loop {
        let frame = late.next().await;
        if frame["type"] == "ready" {
            break;
        }
        if frame["type"] == "message" {
            rest.push(frame["message"]["seq"].as_i64().unwrap());
        }
    }
    assert_eq!(rest, (151..=200).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_panel_subscription_resumes_the_same_way() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let agent = app.agent("Kim").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    visitor.send("one").await;
    visitor.send("two").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    panel
        .send_json(
            json!({ "type": "subscribe", "conversation_id": visitor.conversation_id, "after": 2 }),
        )
        .await;
    let mut got = Vec::new();
    while got.len() < 2 {
        let frame = panel.next_of_type("message").await;
        got.push(frame["message"]["seq"].as_i64().unwrap());
    }
    assert_eq!(got, vec![3, 4]);
    let subscribed = panel.next_of_type("subscribed").await;
    assert_eq!(
        subscribed["conversation_id"],
        visitor.conversation_id.as_str()
    );
    assert_eq!(subscribed["last_seq"], 4);
    visitor.send("three").await;
    assert_eq!(panel.next_of_type("message").await["message"]["seq"], 5);
}

#[tokio::test]
async fn the_ack_stands_for_the_senders_own_message_and_nothing_is_skipped() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    widget.next_of_type("ready").await;
    let mut tab = visitor.ws(0).await;
    tab.next_of_type("ready").await;
    for n in 0..3 {
        widget
            .send_json(json!({ "type": "send", "client_id": format!("s-{n}"), "text": "hi" }))
            .await;
    }
    // The sending socket: every entry exactly once, in order, as an ack or a message frame.
    let mut seen = Vec::new();
    while seen.len() < 6 {
        let frame = widget.next().await;
        let seq = match frame["type"].as_str() {
            Some("ack" | "message") => frame["message"]["seq"].as_i64().unwrap(),
            _ => continue,
        };
        if !seen.contains(&seq) {
            seen.push(seq);
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        [1, 2, 3, 4, 5, 6],
        "three messages and three bot replies"
    );
    // Another tab of the same visitor gets every entry as a message frame.
    let mut other = Vec::new();
    while other.len() < 6 {
        other.push(tab.next_message("text").await["seq"].as_i64().unwrap());
    }
    assert_eq!(other, [1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn messages_sent_over_the_socket_are_acknowledged_and_idempotent() {
    let app = spawn_app_with(|_| {}, Arc::new(EchoEngine)).await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    widget.next_of_type("ready").await;
    for _ in 0..2 {
        widget
            .send_json(json!({ "type": "send", "client_id": "same-id", "text": "hello over ws" }))
            .await;
        let ack = widget.next_of_type("ack").await;
        assert_eq!(ack["client_id"], "same-id");
        assert_eq!(ack["message"]["seq"], 1);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let visitor_entries = visitor
        .history(0)
        .await
        .into_iter()
        .filter(|m| m["author_kind"] == "visitor")
        .count();
    assert_eq!(visitor_entries, 1);
}
