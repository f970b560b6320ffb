//! Which AI engine answers for a workspace: its own OpenAI-compatible model when an admin set one
//! (Settings → Integrations), with the built-in engine as fallback; otherwise the server's
//! default engine. Engines are built once per workspace and rebuilt when the settings change.

use std::sync::Arc;

use baton_ai::builtin::BuiltinEngine;
use baton_ai::{
    ApiKey, CallObserver, Engine, FallbackEngine, Observed, OpenAiConfig, OpenAiEngine,
};
use baton_domain::ids::WorkspaceId;

use crate::state::AppState;

impl AppState {
    pub(crate) async fn engine_for(&self, workspace_id: WorkspaceId) -> Arc<dyn Engine> {
        if let Some(engine) = self
            .engines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&workspace_id)
        {
            return Arc::clone(engine);
        }
        let settings = self
            .store
            .integrations(workspace_id)
            .await
            .unwrap_or_default();
        let engine: Arc<dyn Engine> = match (settings.llm_base_url, settings.llm_model) {
            (Some(url), Some(model)) => {
                let refused = self.outbound.check_url(&url).err();
                let mut config = OpenAiConfig::new(url, model);
                config.api_key = settings.llm_api_key.map(ApiKey::new);
                // An admin's URL: checked again now and on every address it resolves to.
                let engine = match refused {
                    Some(why) => Err(format!("the AI provider's URL is refused: {why}")),
                    None => OpenAiEngine::with_client(config, self.outbound.client_builder())
                        .map_err(|e| e.to_string()),
                };
                match engine {
                    Ok(primary) => {
                        let observer: Arc<dyn CallObserver> = self.metrics.clone();
                        Arc::new(FallbackEngine::new(
                            Observed::new(primary, observer),
                            BuiltinEngine,
                        ))
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "the workspace's AI provider settings are unusable; using the default engine");
                        Arc::clone(&self.engine)
                    }
                }
            }
            _ => Arc::clone(&self.engine),
        };
        self.engines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(workspace_id, Arc::clone(&engine));
        engine
    }

    /// Forgets the workspace's engine after its AI settings changed, here and on the other
    /// processes sharing the database.
    pub fn workspace_engine_changed(&self, workspace_id: WorkspaceId) {
        self.forget_engine(workspace_id);
        self.announce(crate::cluster::Notice::EngineChanged { workspace_id });
    }

    pub(crate) fn forget_engine(&self, workspace_id: WorkspaceId) {
        self.engines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&workspace_id);
    }
}
