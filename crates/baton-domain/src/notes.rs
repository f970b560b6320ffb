//! The notes written into a conversation's log in the same write as the change they report (an
//! agent joins, hands back or resolves; a closed conversation reopens), in the visitor's
//! language. Storage writes them, so they live here rather than with the server's other notes to
//! the visitor (the server's `visitor_texts`); the offline reasons are
//! [`crate::handoff::OfflineReason::visitor_text`].

use crate::language::Language;

/// An agent took the conversation.
pub fn agent_joined(lang: Language, agent_name: &str) -> String {
    match lang {
        Language::English => format!("{agent_name} joined the chat."),
        Language::German => format!("{agent_name} ist dem Chat beigetreten."),
        Language::French => format!("{agent_name} a rejoint le chat."),
        Language::Spanish => format!("{agent_name} se unió al chat."),
        Language::Portuguese => format!("{agent_name} entrou no chat."),
    }
}

/// The agent handed the conversation back to the AI.
pub fn handed_back(lang: Language, agent_name: &str) -> String {
    match lang {
        Language::English => format!(
            "{agent_name} handed the conversation back to our AI assistant, who will keep helping you."
        ),
        Language::German => format!(
            "{agent_name} hat das Gespräch an unseren KI-Assistenten zurückgegeben, der Ihnen weiter hilft."
        ),
        Language::French => format!(
            "{agent_name} a rendu la conversation à notre assistant IA, qui continue de vous aider."
        ),
        Language::Spanish => format!(
            "{agent_name} devolvió la conversación a nuestro asistente de IA, que seguirá ayudándole."
        ),
        Language::Portuguese => format!(
            "{agent_name} devolveu a conversa ao nosso assistente de IA, que continuará ajudando você."
        ),
    }
}

/// The agent left and marked the conversation resolved.
pub fn agent_resolved(lang: Language, agent_name: &str) -> String {
    match lang {
        Language::English => format!(
            "{agent_name} left the chat and marked it resolved. Write again any time and our AI assistant will help you."
        ),
        Language::German => format!(
            "{agent_name} hat den Chat verlassen und als gelöst markiert. Schreiben Sie jederzeit wieder — unser KI-Assistent hilft Ihnen."
        ),
        Language::French => format!(
            "{agent_name} a quitté le chat et l’a marqué comme résolu. Écrivez-nous à tout moment : notre assistant IA vous aidera."
        ),
        Language::Spanish => format!(
            "{agent_name} salió del chat y lo marcó como resuelto. Escriba cuando quiera y nuestro asistente de IA le ayudará."
        ),
        Language::Portuguese => format!(
            "{agent_name} saiu do chat e o marcou como resolvido. Escreva quando quiser e nosso assistente de IA vai ajudar você."
        ),
    }
}

/// The visitor wrote in a closed conversation: it is open again, with the AI.
pub fn reopened(lang: Language) -> &'static str {
    match lang {
        Language::English => "Conversation reopened.",
        Language::German => "Gespräch wieder geöffnet.",
        Language::French => "Conversation rouverte.",
        Language::Spanish => "Conversación reabierta.",
        Language::Portuguese => "Conversa reaberta.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words_and_keeps_the_name() {
        for lang in Language::ALL.into_iter().skip(1) {
            for (note, english) in [
                (
                    agent_joined(lang, "Ana"),
                    agent_joined(Language::English, "Ana"),
                ),
                (
                    handed_back(lang, "Ana"),
                    handed_back(Language::English, "Ana"),
                ),
                (
                    agent_resolved(lang, "Ana"),
                    agent_resolved(Language::English, "Ana"),
                ),
            ] {
                assert_ne!(note, english, "{lang}");
                assert!(note.starts_with("Ana "), "{lang}: {note}");
            }
            assert_ne!(reopened(lang), reopened(Language::English), "{lang}");
        }
    }
}
