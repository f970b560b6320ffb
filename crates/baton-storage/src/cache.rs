//! A short-lived cache of bots: starting a conversation and every bot turn read the bot, and bots
//! change rarely. Changes made through this process's store are seen at once (the entry is
//! forgotten after the write commits); changes made by another process are seen within
//! [`BOT_CACHE_TTL`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baton_domain::ids::BotId;

use crate::Bot;

/// How long a bot read from the database is served from memory.
pub const BOT_CACHE_TTL: Duration = Duration::from_secs(2);

/// Bots kept at most; past it the cache starts again empty (a bound, not an eviction policy:
/// installations have far fewer bots).
const MAX_BOTS: usize = 10_000;

#[derive(Clone, Debug, Default)]
pub(crate) struct BotCache {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Bumped by every change, so a read that began before a change cannot cache what it read.
    generation: u64,
    bots: HashMap<BotId, (Bot, Instant)>,
}

impl BotCache {
    /// The cached bot, or the generation to hand back to [`BotCache::put`] with what is read.
    pub(crate) fn get(&self, id: BotId) -> Result<Bot, u64> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.bots.get(&id) {
            Some((bot, at)) if at.elapsed() < BOT_CACHE_TTL => Ok(bot.clone()),
            _ => Err(inner.generation),
        }
    }

    /// Caches `bot`, unless something changed since `generation` was handed out.
    pub(crate) fn put(&self, bot: &Bot, generation: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.generation != generation {
            return;
        }
        if inner.bots.len() >= MAX_BOTS {
            inner.bots.clear();
        }
        inner.bots.insert(bot.id, (bot.clone(), Instant::now()));
    }

    pub(crate) fn forget(&self, id: BotId) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.generation += 1;
        inner.bots.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HandoffSettings;
    use baton_domain::ids::WorkspaceId;
    use baton_domain::schedule::Schedule;

    fn bot(name: &str) -> Bot {
        Bot {
            id: BotId::new(),
            workspace_id: WorkspaceId::new(),
            name: name.into(),
            greeting: "hi".into(),
            handoff: HandoffSettings::default(),
            schedule: Schedule::always_open_utc(),
            persona: String::new(),
            archived_at: None,
            translations: Default::default(),
        }
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_cached() {
        let cache = BotCache::default();
        let old = bot("old");
        let generation = cache.get(old.id).unwrap_err();
        cache.forget(old.id); // a write committed while the read was running
        cache.put(&old, generation);
        assert!(cache.get(old.id).is_err());
        let generation = cache.get(old.id).unwrap_err();
        cache.put(&old, generation);
        assert_eq!(cache.get(old.id).unwrap().name, "old");
    }
}
