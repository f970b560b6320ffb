//! Every note the server writes to a visitor in its own words, in the visitor's language: the
//! notes written in the same write as the change they report (an agent joins, hands back or
//! resolves; a closed conversation reopens), the handoff and lead capture notes, FreshChat's. The
//! offline reasons are [`crate::handoff::OfflineReason::visitor_text`]; the texts an admin writes
//! (greeting, offline message, lead capture) are the bot's, with their translations
//! ([`crate::texts`]). Every text is a `match` over [`Language`], so none can be missing.

use crate::contact::EmailProblem;
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

/// Lead capture in plain chat: the visitor's reply was neither an address nor "no thanks".
pub fn lead_unclear(lang: Language) -> &'static str {
    match lang {
        Language::English => {
            "To open a ticket I need your email address, like name@example.com. Or say \"no thanks\" to go back to the assistant."
        }
        Language::German => {
            "Für ein Ticket brauche ich Ihre E-Mail-Adresse, etwa name@example.com. Oder schreiben Sie „nein danke“, um zurück zum Assistenten zu gehen."
        }
        Language::French => {
            "Pour ouvrir un ticket, j’ai besoin de votre adresse e-mail, par exemple nom@example.com. Ou dites « non merci » pour revenir à l’assistant."
        }
        Language::Spanish => {
            "Para abrir un ticket necesito su correo electrónico, como nombre@example.com. O diga «no, gracias» para volver con el asistente."
        }
        Language::Portuguese => {
            "Para abrir um ticket preciso do seu e-mail, como nome@example.com. Ou diga \"não, obrigado\" para voltar ao assistente."
        }
    }
}

/// Lead capture in plain chat: the address given is not valid; says what is wrong and asks again.
pub fn lead_retry(lang: Language, problem: &EmailProblem) -> String {
    let ask_again = match lang {
        Language::English => "Could you check it and send it again? Or say \"no thanks\" to skip.",
        Language::German => {
            "Könnten Sie sie prüfen und noch einmal senden? Oder schreiben Sie „nein danke“, um es zu überspringen."
        }
        Language::French => {
            "Pourriez-vous la vérifier et la renvoyer ? Ou dites « non merci » pour passer."
        }
        Language::Spanish => {
            "¿Podría revisarlo y enviarlo de nuevo? O diga «no, gracias» para omitirlo."
        }
        Language::Portuguese => {
            "Poderia verificá-lo e enviá-lo novamente? Ou diga \"não, obrigado\" para pular."
        }
    };
    format!("{} {ask_again}", email_problem(lang, problem))
}

/// What is wrong with an email address the visitor typed, as a sentence.
fn email_problem(lang: Language, problem: &EmailProblem) -> String {
    use EmailProblem::*;
    use Language::*;
    match (lang, problem) {
        (English, Empty) => "Please type your email address.".into(),
        (German, Empty) => "Bitte geben Sie Ihre E-Mail-Adresse ein.".into(),
        (French, Empty) => "Merci de saisir votre adresse e-mail.".into(),
        (Spanish, Empty) => "Escriba su correo electrónico, por favor.".into(),
        (Portuguese, Empty) => "Por favor, digite seu e-mail.".into(),
        (English, MissingAt) => {
            "That email address has no @ — it should look like name@example.com.".into()
        }
        (German, MissingAt) => {
            "Diese E-Mail-Adresse hat kein @ — sie sollte wie name@example.com aussehen.".into()
        }
        (French, MissingAt) => {
            "Cette adresse e-mail n’a pas de @ — elle devrait ressembler à nom@example.com.".into()
        }
        (Spanish, MissingAt) => {
            "Ese correo no tiene @ — debería ser como nombre@example.com.".into()
        }
        (Portuguese, MissingAt) => {
            "Esse e-mail não tem @ — deveria ser como nome@example.com.".into()
        }
        (English, SeveralAt) => "That email address has more than one @.".into(),
        (German, SeveralAt) => "Diese E-Mail-Adresse hat mehr als ein @.".into(),
        (French, SeveralAt) => "Cette adresse e-mail contient plus d’un @.".into(),
        (Spanish, SeveralAt) => "Ese correo tiene más de una @.".into(),
        (Portuguese, SeveralAt) => "Esse e-mail tem mais de um @.".into(),
        (English, EmptyLocal) => "That email address has nothing before the @.".into(),
        (German, EmptyLocal) => "Bei dieser E-Mail-Adresse steht nichts vor dem @.".into(),
        (French, EmptyLocal) => "Cette adresse e-mail n’a rien avant le @.".into(),
        (Spanish, EmptyLocal) => "Ese correo no tiene nada antes de la @.".into(),
        (Portuguese, EmptyLocal) => "Esse e-mail não tem nada antes do @.".into(),
        (English, LocalTooLong(n)) => {
            format!("The part before the @ is {n} characters long; the limit is 64.")
        }
        (German, LocalTooLong(n)) => {
            format!("Der Teil vor dem @ ist {n} Zeichen lang; erlaubt sind 64.")
        }
        (French, LocalTooLong(n)) => {
            format!("La partie avant le @ fait {n} caractères ; la limite est de 64.")
        }
        (Spanish, LocalTooLong(n)) => {
            format!("La parte antes de la @ tiene {n} caracteres; el límite es 64.")
        }
        (Portuguese, LocalTooLong(n)) => {
            format!("A parte antes do @ tem {n} caracteres; o limite é 64.")
        }
        (English, TooLong) => "That email address is longer than 254 characters.".into(),
        (German, TooLong) => "Diese E-Mail-Adresse ist länger als 254 Zeichen.".into(),
        (French, TooLong) => "Cette adresse e-mail dépasse 254 caractères.".into(),
        (Spanish, TooLong) => "Ese correo tiene más de 254 caracteres.".into(),
        (Portuguese, TooLong) => "Esse e-mail tem mais de 254 caracteres.".into(),
        (English, BadCharacters) => {
            "That email address contains spaces or invisible characters.".into()
        }
        (German, BadCharacters) => {
            "Diese E-Mail-Adresse enthält Leerzeichen oder unsichtbare Zeichen.".into()
        }
        (French, BadCharacters) => {
            "Cette adresse e-mail contient des espaces ou des caractères invisibles.".into()
        }
        (Spanish, BadCharacters) => "Ese correo contiene espacios o caracteres invisibles.".into(),
        (Portuguese, BadCharacters) => {
            "Esse e-mail contém espaços ou caracteres invisíveis.".into()
        }
        (English, BadDomain) => "The part after the @ should be a domain like example.com.".into(),
        (German, BadDomain) => "Nach dem @ sollte eine Domain wie example.com stehen.".into(),
        (French, BadDomain) => {
            "La partie après le @ doit être un domaine comme example.com.".into()
        }
        (Spanish, BadDomain) => {
            "La parte después de la @ debe ser un dominio como example.com.".into()
        }
        (Portuguese, BadDomain) => {
            "A parte depois do @ deve ser um domínio como example.com.".into()
        }
    }
}

/// Lead capture in plain chat: the address was fine but the details could not be saved.
pub fn lead_not_saved(lang: Language) -> &'static str {
    match lang {
        Language::English => {
            "Sorry — I couldn't save your details just now. Could you send your email address again?"
        }
        Language::German => {
            "Entschuldigung — ich konnte Ihre Angaben gerade nicht speichern. Könnten Sie Ihre E-Mail-Adresse noch einmal senden?"
        }
        Language::French => {
            "Désolé — je n’ai pas pu enregistrer vos coordonnées. Pourriez-vous renvoyer votre adresse e-mail ?"
        }
        Language::Spanish => {
            "Lo sentimos — no pude guardar sus datos ahora. ¿Podría enviar su correo de nuevo?"
        }
        Language::Portuguese => {
            "Desculpe — não consegui salvar seus dados agora. Poderia enviar seu e-mail novamente?"
        }
    }
}

/// The FreshChat team reopened the conversation.
pub fn freshchat_reopened(lang: Language) -> &'static str {
    match lang {
        Language::English => "Our support team reopened this conversation and will reply here.",
        Language::German => {
            "Unser Support-Team hat dieses Gespräch wieder geöffnet und antwortet hier."
        }
        Language::French => {
            "Notre équipe d’assistance a rouvert cette conversation et vous répondra ici."
        }
        Language::Spanish => {
            "Nuestro equipo de soporte reabrió esta conversación y responderá aquí."
        }
        Language::Portuguese => {
            "Nossa equipe de suporte reabriu esta conversa e vai responder aqui."
        }
    }
}

/// Who resolved a FreshChat conversation when FreshChat does not name the agent.
pub fn our_team(lang: Language) -> &'static str {
    match lang {
        Language::English => "Our team",
        Language::German => "Unser Team",
        Language::French => "Notre équipe",
        Language::Spanish => "Nuestro equipo",
        Language::Portuguese => "Nossa equipe",
    }
}

/// A FreshChat agent (or the team, [`our_team`]) resolved the conversation: the AI answers again.
pub fn freshchat_resolved(lang: Language, name: &str) -> String {
    match lang {
        Language::English => format!(
            "{name} marked this conversation resolved. Write again any time and our AI assistant will help you."
        ),
        Language::German => format!(
            "{name} hat dieses Gespräch als gelöst markiert. Schreiben Sie jederzeit wieder — unser KI-Assistent hilft Ihnen."
        ),
        Language::French => format!(
            "{name} a marqué cette conversation comme résolue. Écrivez-nous à tout moment : notre assistant IA vous aidera."
        ),
        Language::Spanish => format!(
            "{name} marcó esta conversación como resuelta. Escriba cuando quiera y nuestro asistente de IA le ayudará."
        ),
        Language::Portuguese => format!(
            "{name} marcou esta conversa como resolvida. Escreva quando quiser e nosso assistente de IA vai ajudar você."
        ),
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

    /// Every language has its own text for each note (the `match` arms make sure none is
    /// missing); only English reads as English.
    #[test]
    fn every_language_has_its_own_text() {
        let problem = EmailProblem::MissingAt;
        let english = (
            lead_unclear(Language::English),
            lead_retry(Language::English, &problem),
            lead_not_saved(Language::English),
            freshchat_reopened(Language::English),
            freshchat_resolved(Language::English, "Ana"),
            back_with_ai(Language::English),
        );
        for lang in Language::ALL.into_iter().skip(1) {
            assert_ne!(lead_unclear(lang), english.0, "{lang}");
            assert_ne!(lead_retry(lang, &problem), english.1, "{lang}");
            assert_ne!(lead_not_saved(lang), english.2, "{lang}");
            assert_ne!(freshchat_reopened(lang), english.3, "{lang}");
            assert_ne!(freshchat_resolved(lang, "Ana"), english.4, "{lang}");
            assert_ne!(back_with_ai(lang), english.5, "{lang}");
            assert!(
                freshchat_resolved(lang, "Ana").starts_with("Ana "),
                "{lang}"
            );
            assert!(
                lead_retry(lang, &EmailProblem::LocalTooLong(70)).contains("70"),
                "{lang}"
            );
        }
    }

    #[test]
    fn the_english_retry_reads_as_before() {
        assert_eq!(
            lead_retry(Language::English, &EmailProblem::MissingAt),
            "That email address has no @ — it should look like name@example.com. Could you \
             check it and send it again? Or say \"no thanks\" to skip."
        );
    }
}
