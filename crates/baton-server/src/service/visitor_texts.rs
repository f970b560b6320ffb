//! The texts an admin wrote for a bot, as a visitor reads them: the admin's translation into the
//! conversation's language when there is one ([`bot_text`]). The server's own notes to the visitor
//! are `baton_domain::notes`.

use baton_domain::language::Language;
use baton_domain::texts::TextKey;
use baton_storage::Bot;

/// The bot's admin-written text `key` as a visitor in `lang` reads it: the admin's translation
/// into that language, else the text as written.
pub fn bot_text(bot: &Bot, key: TextKey, lang: Language) -> &str {
    let base = match key {
        TextKey::Greeting => &bot.greeting,
        TextKey::OfflineMessage => &bot.handoff.offline_message,
        TextKey::LeadCapturePrompt => &bot.handoff.lead_capture_prompt,
        TextKey::LeadCaptureSuccess => &bot.handoff.lead_capture_success,
    };
    bot.translations.pick(lang, key, base)
}
