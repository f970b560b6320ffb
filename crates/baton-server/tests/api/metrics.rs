//! Prometheus metrics on their own listener: a visitor's conversation and a handoff an agent
//! accepts show up in `GET /metrics`, read back with a strict parser of the text format (version
//! 0.0.4); the public port never serves them.
//!
//! Every server has its own registry, so the figures below are this test's traffic alone.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::*;

/// One sample line: `name{label="value",…} value`.
#[derive(Debug, Clone)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

#[derive(Debug, Default)]
struct Family {
    kind: String,
    help: String,
    samples: Vec<Sample>,
}

/// A parsed exposition: the families by name.
#[derive(Debug)]
struct Exposition {
    families: HashMap<String, Family>,
}

fn valid_name(name: &str, colons: bool) -> bool {
    let mut chars = name.chars();
    let first_ok = |c: char| c.is_ascii_alphabetic() || c == '_' || (colons && c == ':');
    matches!(chars.next(), Some(c) if first_ok(c))
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (colons && c == ':'))
}

fn parse_value(text: &str) -> Result<f64, String> {
    match text {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ => text
            .parse::<f64>()
            .map_err(|_| format!("not a number: {text:?}")),
    }
}

/// `{a="x",b="y"}` (the braces included) → the labels; with the text format's escapes.
fn parse_labels(text: &str) -> Result<BTreeMap<String, String>, String> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .ok_or_else(|| format!("bad label set {text:?}"))?;
    let mut labels = BTreeMap::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once("=\"")
            .ok_or_else(|| format!("bad label in {text:?}"))?;
        if !valid_name(name, false) {
            return Err(format!("bad label name {name:?}"));
        }
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, '\\')) => value.push('\\'),
                    Some((_, '"')) => value.push('"'),
                    Some((_, 'n')) => value.push('\n'),
                    other => return Err(format!("bad escape {other:?} in {text:?}")),
                },
                Some((i, '"')) => break i,
                Some((_, c)) => value.push(c),
                None => return Err(format!("unterminated label value in {text:?}")),
            }
        };
        if labels.insert(name.to_owned(), value).is_some() {
            return Err(format!("label {name} twice in {text:?}"));
        }
        rest = &after[end + 1..];
        rest = match rest.strip_prefix(',') {
            Some(more) => more,
            None if rest.is_empty() => rest,
            None => return Err(format!("expected , or }} in {text:?}")),
        };
    }
    Ok(labels)
}

/// Which family a sample belongs to, by the type rules of the format.
fn family_of<'a>(families: &HashMap<String, Family>, name: &'a str) -> Option<&'a str> {
    if families.contains_key(name) {
        return Some(name);
    }
    for suffix in ["_bucket", "_sum", "_count"] {
        if let Some(base) = name.strip_suffix(suffix)
            && families.get(base).is_some_and(|f| {
                f.kind == "histogram" || (f.kind == "summary" && suffix != "_bucket")
            })
        {
            return Some(base);
        }
    }
    None
}

/// Parses the exposition, refusing anything the format does not allow: samples of a family
/// without HELP and TYPE before them, unknown types, a TYPE given twice, bad names or values.
fn parse(text: &str) -> Result<Exposition, String> {
    let mut families: HashMap<String, Family> = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}: {line:?}", number + 1);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let mut words = comment.trim_start().splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("HELP"), Some(name), help) => {
                    if !valid_name(name, true) {
                        return Err(at("bad metric name".into()));
                    }
                    let family = families.entry(name.to_owned()).or_default();
                    if !family.help.is_empty() {
                        return Err(at("HELP twice".into()));
                    }
                    family.help = help.unwrap_or_default().to_owned();
                }
                (Some("TYPE"), Some(name), Some(kind)) => {
                    if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind) {
                        return Err(at(format!("unknown type {kind}")));
                    }
                    let family = families.entry(name.to_owned()).or_default();
                    if !family.kind.is_empty() {
                        return Err(at("TYPE twice".into()));
                    }
                    if !family.samples.is_empty() {
                        return Err(at("TYPE after samples".into()));
                    }
                    family.kind = kind.to_owned();
                }
                _ => {} // Any other comment is allowed.
            }
            continue;
        }
        let (series, value) = match line.find('}') {
            Some(close) => (&line[..=close], line[close + 1..].trim()),
            None => line
                .split_once(' ')
                .map(|(s, v)| (s, v.trim()))
                .ok_or_else(|| at("no value".into()))?,
        };
        let (name, labels) = match series.find('{') {
            Some(open) => (&series[..open], parse_labels(&series[open..]).map_err(at)?),
            None => (series, BTreeMap::new()),
        };
        if !valid_name(name, true) {
            return Err(at("bad metric name".into()));
        }
        // A value, optionally followed by a timestamp in milliseconds.
        let mut parts = value.split(' ');
        let value = parse_value(parts.next().unwrap_or_default()).map_err(at)?;
        if let Some(timestamp) = parts.next() {
            timestamp
                .parse::<i64>()
                .map_err(|_| at("bad timestamp".into()))?;
        }
        if parts.next().is_some() {
            return Err(at("trailing text".into()));
        }
        let family = family_of(&families, name).ok_or_else(|| at("no TYPE for it".into()))?;
        let family = families.get_mut(family).unwrap();
        if family.kind.is_empty() {
            return Err(at("no TYPE for it".into()));
        }
        if family.help.is_empty() {
            return Err(at("no HELP for it".into()));
        }
        family.samples.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    Ok(Exposition { families })
}

/// A histogram's buckets (upper bound, cumulative count), count and sum.
struct Histogram {
    buckets: Vec<(f64, f64)>,
    count: f64,
    sum: f64,
}

impl Exposition {
    fn family(&self, name: &str) -> &Family {
        self.families
            .get(name)
            .unwrap_or_else(|| panic!("no family {name}"))
    }

    /// The value of the family's sample named `name` with exactly these labels.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let wanted: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let family = family_of(&self.families, name).unwrap_or_else(|| panic!("no family {name}"));
        self.families[family]
            .samples
            .iter()
            .find(|s| s.name == name && s.labels == wanted)
            .unwrap_or_else(|| panic!("no sample {name}{labels:?}"))
            .value
    }

    fn histogram(&self, name: &str) -> Histogram {
        let family = self.family(name);
        assert_eq!(family.kind, "histogram", "{name}");
        let mut buckets: Vec<(f64, f64)> = family
            .samples
            .iter()
            .filter(|s| s.name == format!("{name}_bucket"))
            .map(|s| (parse_value(&s.labels["le"]).unwrap(), s.value))
            .collect();
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        Histogram {
            buckets,
            count: self.value(&format!("{name}_count"), &[]),
            sum: self.value(&format!("{name}_sum"), &[]),
        }
    }
}

async fn scrape(addr: SocketAddr) -> Exposition {
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Scrapes until `done` holds (socket gauges follow the sockets a moment later), failing after
/// ten seconds.
async fn scrape_until(addr: SocketAddr, done: impl Fn(&Exposition) -> bool) -> Exposition {
    for _ in 0..100 {
        let exposition = scrape(addr).await;
        if done(&exposition) {
            return exposition;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the metrics did not reach the expected values in 10 s");
}

fn sockets(exposition: &Exposition) -> (f64, f64) {
    (
        exposition.value("baton_visitor_sockets", &[]),
        exposition.value("baton_panel_sockets", &[]),
    )
}

const FAMILIES: [(&str, &str); 15] = [
    ("baton_visitor_sockets", "gauge"),
    ("baton_panel_sockets", "gauge"),
    ("baton_messages_stored_total", "counter"),
    ("baton_store_batch_units", "histogram"),
    ("baton_store_commit_seconds", "histogram"),
    ("baton_handoffs_requested_total", "counter"),
    ("baton_handoff_outcomes_total", "counter"),
    ("baton_handoff_escalations_total", "counter"),
    ("baton_handoff_requeues_total", "counter"),
    ("baton_handoff_accept_wait_seconds", "histogram"),
    ("baton_handoff_notify_seconds", "histogram"),
    ("baton_outbox_pending", "gauge"),
    ("baton_outbox_dead_letters", "gauge"),
    ("baton_llm_request_seconds", "histogram"),
    ("baton_llm_failures_total", "counter"),
];

#[tokio::test]
async fn a_conversation_and_an_accepted_handoff_show_in_the_metrics() {
    let app = spawn_app_with_metrics().await;
    let metrics = app.metrics_addr.unwrap();
    assert_ne!(metrics, app.addr);

    let before = scrape(metrics).await;
    for (name, kind) in FAMILIES {
        let family = before.family(name);
        assert_eq!(family.kind, kind, "{name}");
        assert!(!family.help.is_empty(), "{name}");
    }
    assert_eq!(sockets(&before), (0.0, 0.0));

    // An agent's panel and a visitor's widget are open: both gauges go up.
    let agent = app.agent("Alice").await;
    let mut panel = agent.panel().await;
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    widget.next_of_type("ready").await;
    scrape_until(metrics, |e| sockets(e) == (1.0, 1.0)).await;

    // A conversation with the AI, then a request for a person, which the agent accepts.
    let mut sent = 0;
    for text in ["Hello", "Thank you"] {
        assert_eq!(visitor.send(text).await.status(), StatusCode::CREATED);
        sent += 1;
        widget.next_message("text").await; // the visitor's
        widget.next_message("text").await; // the bot's answer
    }
    assert_eq!(
        visitor
            .send("Can I talk to a real person please?")
            .await
            .status(),
        StatusCode::CREATED
    );
    sent += 1;
    let brief = panel.next_of_type("handoff_requested").await;
    let handoff_id = brief["handoff"]["id"].as_str().unwrap();
    assert_eq!(agent.accept(handoff_id).await.status(), StatusCode::OK);
    widget.next_message("agent_joined").await;

    let during = scrape(metrics).await;
    let stored = |author: &str| during.value("baton_messages_stored_total", &[("author", author)]);
    assert!(
        stored("visitor") >= f64::from(sent),
        "{}",
        stored("visitor")
    );
    assert!(stored("bot") >= 2.0, "{}", stored("bot"));
    assert!(stored("system") >= 1.0, "the handoff's entries");
    assert_eq!(
        during.value(
            "baton_handoffs_requested_total",
            &[("trigger", "user_request")]
        ),
        1.0
    );
    assert_eq!(
        during.value(
            "baton_handoffs_requested_total",
            &[("trigger", "frustration")]
        ),
        0.0
    );
    assert_eq!(
        during.value("baton_handoff_outcomes_total", &[("outcome", "accepted")]),
        1.0
    );
    for outcome in ["cancelled", "expired", "offline"] {
        assert_eq!(
            during.value("baton_handoff_outcomes_total", &[("outcome", outcome)]),
            0.0,
            "{outcome}"
        );
    }
    assert_eq!(
        during.histogram("baton_handoff_accept_wait_seconds").count,
        1.0
    );
    assert_eq!(
        during.histogram("baton_handoff_notify_seconds").count,
        1.0,
        "one panel was told of one handoff"
    );
    let batches = during.histogram("baton_store_batch_units");
    assert!(batches.count >= 1.0);
    assert!(
        batches.sum >= stored("visitor") + stored("bot"),
        "every stored message was a write of some batch"
    );
    assert_eq!(
        during.histogram("baton_store_commit_seconds").count,
        batches.count,
        "one commit per batch"
    );
    assert_eq!(during.histogram("baton_llm_request_seconds").count, 0.0);

    // Every histogram is well formed: cumulative buckets, the last +Inf and equal to the count.
    for (name, kind) in FAMILIES {
        if kind != "histogram" {
            continue;
        }
        let histogram = during.histogram(name);
        assert!(!histogram.buckets.is_empty(), "{name}");
        assert!(
            histogram.buckets.windows(2).all(|w| w[0].1 <= w[1].1),
            "{name} buckets are cumulative: {:?}",
            histogram.buckets
        );
        let last = histogram.buckets.last().unwrap();
        assert_eq!(last.0, f64::INFINITY, "{name}");
        assert_eq!(last.1, histogram.count, "{name}");
        assert!(histogram.sum >= 0.0, "{name}");
    }

    // Counters never go down; the sockets' gauges come back down once they close.
    widget.stream.close(None).await.unwrap();
    panel.stream.close(None).await.unwrap();
    drop((widget, panel));
    let after = scrape_until(metrics, |e| sockets(e) == (0.0, 0.0)).await;
    assert!(
        after.value("baton_messages_stored_total", &[("author", "visitor")]) >= stored("visitor")
    );

    // The public port does not serve them.
    let public = reqwest::get(format!("{}/metrics", app.base)).await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_failing_model_is_timed_and_counted_by_kind() {
    // Nothing listens on this port: the workspace's model fails and the built-in engine answers.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let app = spawn_app_with_metrics().await;
    let metrics = app.metrics_addr.unwrap();
    app.store()
        .set_integrations(
            app.workspace.id,
            &baton_storage::Integrations {
                llm_base_url: Some(format!("http://127.0.0.1:{port}/v1")),
                llm_model: Some("fake".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut visitor = app.visitor().await;
    let mut widget = visitor.ws(0).await;
    assert_eq!(visitor.send("Hello").await.status(), StatusCode::CREATED);
    widget.next_message("text").await;
    assert_eq!(widget.next_message("text").await["author_kind"], "bot");

    let exposition = scrape(metrics).await;
    let failures = exposition.value("baton_llm_failures_total", &[("kind", "provider")])
        + exposition.value("baton_llm_failures_total", &[("kind", "timeout")]);
    assert!(failures >= 1.0, "{failures}");
    let calls = exposition.histogram("baton_llm_request_seconds");
    assert!(calls.count >= failures, "every failed call was timed");
}

#[tokio::test]
async fn without_a_metrics_listener_the_public_port_has_no_metrics() {
    let app = spawn_app().await;
    assert!(app.metrics_addr.is_none());
    let public = reqwest::get(format!("{}/metrics", app.base)).await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
}

#[test]
fn the_parser_refuses_what_the_format_does_not_allow() {
    let good = "# HELP a_total A.\n# TYPE a_total counter\na_total{k=\"v\\\"x\"} 1\n";
    let parsed = parse(good).unwrap();
    assert_eq!(parsed.value("a_total", &[("k", "v\"x")]), 1.0);
    for bad in [
        "a_total 1\n",                                        // no HELP or TYPE
        "# HELP a x\na 1\n",                                  // no TYPE
        "# TYPE a gauge\na 1\n",                              // no HELP
        "# HELP a x\n# TYPE a gauge\na one\n",                // not a number
        "# HELP a x\n# TYPE a gauge\na{k=v} 1\n",             // unquoted label
        "# HELP a x\n# TYPE a gauge\n# TYPE a gauge\na 1\n",  // TYPE twice
        "# HELP a x\n# TYPE a sometimes\na 1\n",              // unknown type
        "# HELP a x\n# TYPE a gauge\na{k=\"v\",k=\"w\"} 1\n", // label twice
        "# HELP 1a x\n# TYPE 1a gauge\n1a 1\n",               // bad name
    ] {
        assert!(parse(bad).is_err(), "{bad:?} was accepted");
    }
}
