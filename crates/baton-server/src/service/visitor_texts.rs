//! The texts the server writes to the visitor, in the visitor's language (the conversation's
//! `lang`): its own notes here (the offline reasons are the domain's,
//! `OfflineReason::visitor_text`), and the admin's texts (greeting, offline message, lead
//! capture) through [`bot_text`], which takes the admin's translation when there is one.

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

/// A live handoff was requested: a person will join.
pub fn connecting(lang: Language) -> &'static str {
    match lang {
        Language::English => {
            "I'm connecting you with a person from our team. Please stay here — they'll join this chat shortly."
        }
        Language::German => {
            "Ich verbinde Sie mit einer Person aus unserem Team. Bitte bleiben Sie hier — sie kommt gleich in diesen Chat."
        }
        Language::French => {
            "Je vous mets en relation avec une personne de notre équipe. Merci de rester ici — elle va rejoindre ce chat dans un instant."
        }
        Language::Spanish => {
            "Le estoy comunicando con una persona de nuestro equipo. Permanezca aquí, por favor — se unirá a este chat en breve."
        }
        Language::Portuguese => {
            "Estou conectando você com uma pessoa da nossa equipe. Por favor, fique aqui — ela vai entrar neste chat em breve."
        }
    }
}

/// The visitor stopped waiting (or declined to leave details): the AI answers again.
pub fn back_with_ai(lang: Language) -> &'static str {
    match lang {
        Language::English => "No problem — you're back with our AI assistant.",
        Language::German => "Kein Problem — Sie sind wieder bei unserem KI-Assistenten.",
        Language::French => "Pas de souci — vous êtes de retour avec notre assistant IA.",
        Language::Spanish => "No hay problema — vuelve a estar con nuestro asistente de IA.",
        Language::Portuguese => "Sem problemas — você está de volta com nosso assistente de IA.",
    }
}

/// The agent in the chat was deactivated: another person is being found.
pub fn requeued(lang: Language, agent_name: &str) -> String {
    match lang {
        Language::English => format!(
            "{agent_name} is no longer available, so I'm connecting you with another person from our team. Please stay here."
        ),
        Language::German => format!(
            "{agent_name} ist nicht mehr verfügbar, daher verbinde ich Sie mit einer anderen Person aus unserem Team. Bitte bleiben Sie hier."
        ),
        Language::French => format!(
            "{agent_name} n’est plus disponible : je vous mets en relation avec une autre personne de notre équipe. Merci de rester ici."
        ),
        Language::Spanish => format!(
            "{agent_name} ya no está disponible, así que le comunico con otra persona de nuestro equipo. Permanezca aquí, por favor."
        ),
        Language::Portuguese => format!(
            "{agent_name} não está mais disponível, então estou conectando você com outra pessoa da nossa equipe. Por favor, fique aqui."
        ),
    }
}
