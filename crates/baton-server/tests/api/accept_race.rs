//! Of N agents accepting the same handoff at once, exactly one wins; the others get 409 and the
//! handoff disappears from every panel.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use baton_storage::Role;

const AGENTS: usize = 20;
const ROUNDS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_agents_accepting_at_once_make_exactly_one_winner_two_hundred_times() {
    let app = spawn_app_with(
        |c| c.limits.conversations_per_minute_per_ip = 10_000,
        std::sync::Arc::new(EchoEngine),
    )
    .await;
    let mut agents = Vec::new();
    for i in 0..AGENTS {
        agents.push(
            app.agent_in(&app.workspace, &format!("Agent{i}"), Role::Agent, 3)
                .await,
        );
    }
    let mut panels = Vec::new();
    for agent in &agents {
        panels.push(agent.panel().await);
    }
    for round in 0..ROUNDS {
        let visitor = app.visitor().await;
        assert_eq!(
            visitor.request_handoff().await.status(),
            StatusCode::ACCEPTED,
            "round {round}"
        );
        let mut handoff_id = String::new();
        for panel in &mut panels {
            let frame = panel.next_of_type("handoff_requested").await;
            handoff_id = frame["handoff"]["id"].as_str().unwrap().to_owned();
        }
        let results = join_all(agents.iter().map(|a| a.accept(&handoff_id))).await;
        let statuses: Vec<StatusCode> = results.iter().map(|r| r.status()).collect();
        let winners: Vec<usize> = (0..AGENTS)
            .filter(|&i| statuses[i] == StatusCode::OK)
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
            "round {round}: {statuses:?}"
        );
        // Every panel is told it is taken, and by whom.
        for panel in &mut panels {
            let taken = panel.next_of_type("handoff_taken").await;
            assert_eq!(taken["handoff_id"], handoff_id.as_str());
            assert_eq!(taken["agent_id"], agents[winners[0]].id.as_str());
        }
        assert!(agents[0].waiting().await.is_empty());
        // The conversation has exactly one owner, and one "joined" entry.
        let history = visitor.history(0).await;
        let joined: Vec<&Value> = history
            .iter()
            .filter(|m| m["kind"] == "agent_joined")
            .collect();
        assert_eq!(joined.len(), 1, "round {round}");
        let winner = &agents[winners[0]];
        let response = winner
            .post(
                &format!("/api/v1/conversations/{}/resolve", visitor.conversation_id),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}
