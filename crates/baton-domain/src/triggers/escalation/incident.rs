//! Incidents a support team takes over whatever the visitor's tone: an account taken over ("my
//! account was hacked", "jemand hat mit meinem Konto bestellt"), harm done by a product ("the
//! charger caught fire", "my son got a rash from your cream") and personal data exposed ("you
//! sent me someone else's invoice", "vazaram meus dados").
//!
//! Each rule reads one clause, as the other escalation rules do: a question ("what do I do if
//! my account is hacked?", "can this cream cause a rash?") or a negated report ("my account
//! wasn't hacked") is no incident, and harm needs a cause named ("from your cream", "after
//! using it"), so "my dog has a rash, which food helps?" stays a product question.

use super::{Hit, Kind, asked, hit, negated_before};
use crate::triggers::lexicon::{Concepts, Doc};

/// An account or card taken over: a hacking word ("hacked", "gehackt", "piraté", "hackearon",
/// "invadiram minha conta"), a charge or order not authorised ("unauthorized charge", "sin mi
/// autorización"), or someone else using the visitor's account, card or name ("someone placed
/// orders in my name", "alguien compró con mi cuenta").
pub(super) fn account_takeover(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    let account = (cs..ce).find(|&j| is_account_word(doc.word(j)));
    let cue = (cs..ce).find(|&j| {
        let w = doc.word(j);
        is_hacked(w)
            || account.is_some() && is_hacked_given_account(w)
            || is_unauthorised(doc, j, ce)
            || account.is_some_and(|a| a > j && someone_used(doc, j, a, ce))
    })?;
    // "não autorizada", "nicht autorisiert": the negation belongs to the cue.
    let own_negation = cue > cs && doc.has(cue - 1, Concepts::NEG) && is_unauthorised(doc, cue, ce);
    if negated_before(doc, cs, if own_negation { cue - 1 } else { cue }) {
        return None;
    }
    hit(
        Kind::AccountTakeover,
        0.75,
        cs,
        ce,
        cue,
        account.unwrap_or(cue),
    )
}

/// Words that say an account was hacked whatever follows.
fn is_hacked(w: &str) -> bool {
    matches!(
        w,
        "hacked"
            | "hijacked"
            | "gehackt"
            | "gekapert"
            | "hackeado"
            | "hackeada"
            | "hackearon"
            | "jaqueado"
            | "jaqueada"
            | "hackeou"
            | "hackearam"
    )
}

/// Words that say so only next to an account or card: "compromised", "piraté", "cloné",
/// "invadiram", "clonaron" ("a compromise", "a pirate", "invadir" a place are other things).
fn is_hacked_given_account(w: &str) -> bool {
    matches!(
        w,
        "compromised"
            | "cloned"
            | "kompromittiert"
            | "geklont"
            | "pirate"
            | "piratee"
            | "clone"
            | "clonee"
            | "clonaron"
            | "clonada"
            | "clonado"
            | "invadida"
            | "invadido"
            | "invadiram"
            | "invadiu"
            | "clonaram"
    )
}

/// An account, a card, a login or the visitor's name, where a takeover happens.
fn is_account_word(w: &str) -> bool {
    matches!(
        w,
        "account"
            | "accounts"
            | "card"
            | "login"
            | "profile"
            | "name"
            | "konto"
            | "kundenkonto"
            | "karte"
            | "kreditkarte"
            | "namen"
            | "compte"
            | "carte"
            | "nom"
            | "cuenta"
            | "tarjeta"
            | "nombre"
            | "conta"
            | "cartao"
            | "nome"
    )
}

/// "unauthorized charge", "not authorised by me", "nicht autorisiert", "non autorisée", "sin mi
/// autorización", "sem minha permissão", "without my consent".
fn is_unauthorised(doc: &Doc<'_>, j: usize, ce: usize) -> bool {
    let w = doc.word(j);
    if matches!(
        w,
        "unauthorized" | "unauthorised" | "unberechtigt" | "unberechtigte" | "unberechtigten"
    ) {
        return true;
    }
    let prev = if j > 0 { doc.word(j - 1) } else { "" };
    if matches!(
        w,
        "autorisiert"
            | "autorisierte"
            | "autorise"
            | "autorisee"
            | "autorises"
            | "autorisees"
            | "autorizado"
            | "autorizada"
            | "autorizados"
            | "autorizadas"
    ) && matches!(prev, "nicht" | "non" | "no" | "nao")
    {
        return true;
    }
    // "without my permission", "ohne meine Zustimmung", "sans mon accord", "sin mi permiso",
    // "sem minha autorização".
    let without = matches!(w, "without" | "ohne" | "sans" | "sin" | "sem");
    let next = |k: usize| if j + k < ce { doc.word(j + k) } else { "" };
    without
        && j + 2 < ce
        && doc.has(j + 1, Concepts::POSS1)
        && matches!(
            next(2),
            "permission"
                | "consent"
                | "authorization"
                | "authorisation"
                | "knowledge"
                | "zustimmung"
                | "erlaubnis"
                | "genehmigung"
                | "einwilligung"
                | "accord"
                | "autorisation"
                | "consentement"
                | "permiso"
                | "autorizacion"
                | "consentimiento"
                | "permissao"
                | "autorizacao"
                | "consentimento"
        )
}

/// Someone else, then the visitor's account, card or name at `account` and a verb of using or
/// buying (before it or, in German, at the clause's end): "someone used my card", "jemand hat
/// mit meinem Konto bestellt", "quelqu'un a passé commande avec mon compte", "alguien compró con
/// mi cuenta", "alguém comprou usando minha conta".
fn someone_used(doc: &Doc<'_>, j: usize, account: usize, ce: usize) -> bool {
    if !doc.has(j, Concepts::P_SOMEONE) {
        return false;
    }
    let mine = account > 0 && doc.has(account - 1, Concepts::POSS1)
        || account > 1 && doc.has(account - 2, Concepts::POSS1);
    mine && (j + 1..ce).any(|k| is_use_verb(doc.word(k)))
}

fn is_use_verb(w: &str) -> bool {
    matches!(
        w,
        "used"
            | "using"
            | "ordered"
            | "bought"
            | "placed"
            | "logged"
            | "accessed"
            | "opened"
            | "paid"
            | "benutzt"
            | "verwendet"
            | "bestellt"
            | "gekauft"
            | "eingeloggt"
            | "angemeldet"
            | "bezahlt"
            | "utilise"
            | "commande"
            | "achete"
            | "connecte"
            | "paye"
            | "uso"
            | "usando"
            | "compro"
            | "pidio"
            | "entro"
            | "pago"
            | "usou"
            | "comprou"
            | "pediu"
            | "entrou"
            | "pagou"
            | "fez"
    )
}

/// Harm done by a product or service: it caught fire or exploded, gave an electric shock, or a
/// rash, an allergic reaction, an injury or food poisoning with a cause named ("from your
/// cream", "after eating there", "because of the heater").
pub(super) fn safety_incident(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    let cue = (cs..ce).find(|&j| {
        burned_or_burst(doc, j, cs)
            || is_harm_to_body(doc, j, ce) && (cs..ce).any(|k| is_cause_word(doc.word(k)))
    })?;
    if negated_before(doc, cs, cue) {
        return None;
    }
    hit(Kind::SafetyIncident, 0.8, cs, ce, cue, cue)
}

/// "caught fire", "on fire", "fing Feuer", "in Brand geraten", "a pris feu", "se prendió fuego",
/// "pegou fogo", "exploded", "explodiert", "explosé", "explotó", "explodiu", "electric shock",
/// "Stromschlag", "electrocuted".
fn burned_or_burst(doc: &Doc<'_>, j: usize, cs: usize) -> bool {
    let prev = if j > cs { doc.word(j - 1) } else { "" };
    match doc.word(j) {
        "fire" => matches!(prev, "caught" | "catches" | "catching" | "on"),
        "feuer" => prev == "fing" || doc.toks.len() > j + 1 && doc.word(j + 1) == "gefangen",
        "brand" => matches!(prev, "in"),
        "feu" => matches!(prev, "pris" | "prend" | "prenait"),
        "fuego" => matches!(prev, "prendio" | "agarro" | "prende"),
        "fogo" => matches!(prev, "pegou" | "pegando" | "pegar"),
        "incendio" | "incendiou" | "incendie" => true,
        "exploded" | "explodiert" | "explose" | "explosee" | "exploto" | "explodiu" | "estallo" => {
            true
        }
        "shock" => prev == "electric",
        "stromschlag" | "electrocuted" | "electrocute" | "electrocutee" | "electrocutado"
        | "eletrocutado" => true,
        _ => false,
    }
}

/// A rash, an allergic reaction, an injury or a poisoning: harm to a person's body.
fn is_harm_to_body(doc: &Doc<'_>, j: usize, ce: usize) -> bool {
    let next = if j + 1 < ce { doc.word(j + 1) } else { "" };
    match doc.word(j) {
        "rash"
        | "hives"
        | "ausschlag"
        | "urticaire"
        | "urticaria"
        | "sarpullido"
        | "ronchas"
        | "brotoeja"
        | "brotoejas"
        | "injured"
        | "injury"
        | "verletzt"
        | "verletzung"
        | "blesse"
        | "blessee"
        | "blessure"
        | "herido"
        | "herida"
        | "lesionado"
        | "lesion"
        | "ferido"
        | "ferida"
        | "machucou"
        | "machucado"
        | "poisoning"
        | "poisoned"
        | "vergiftung"
        | "lebensmittelvergiftung"
        | "intoxication"
        | "intoxique"
        | "intoxiquee"
        | "intoxicacion"
        | "intoxicado"
        | "intoxicada"
        | "intoxicacao" => true,
        "allergic" => next == "reaction",
        "allergische" | "allergischen" => next.starts_with("reaktion"),
        "reaction" | "reaccion" | "reacao" => next.starts_with("aller") || next == "alergica",
        _ => false,
    }
}

/// A word that names what caused the harm: "from", "after", "because of", "von", "nach",
/// "durch", "après", "à cause", "depuis", "después", "por", "depois", "gave", "caused".
fn is_cause_word(w: &str) -> bool {
    matches!(
        w,
        "from"
            | "after"
            | "because"
            | "by"
            | "gave"
            | "caused"
            | "von"
            | "nach"
            | "durch"
            | "wegen"
            | "verursacht"
            | "apres"
            | "cause"
            | "depuis"
            | "avec"
            | "despues"
            | "por"
            | "causo"
            | "culpa"
            | "depois"
            | "causou"
            | "deu"
            | "dio"
    )
}

/// Personal data exposed: a leak or breach of data ("data breach", "Datenleck", "fuite de
/// données", "filtraron mis datos", "vazaram meus dados"), someone else's data received ("you
/// sent me someone else's invoice", "ich sehe die Bestellung eines anderen Kunden"), or a data
/// protection law said to be broken ("you're violating the GDPR").
pub(super) fn privacy_breach(doc: &Doc<'_>, cs: usize, ce: usize) -> Option<Hit> {
    if asked(doc, cs, ce) {
        return None;
    }
    let data = (cs..ce).find(|&j| is_data_word(doc.word(j)));
    let cue = (cs..ce).find(|&j| {
        let w = doc.word(j);
        matches!(
            w,
            "datenleck" | "datenpanne" | "datenschutzverletzung" | "datenlecks"
        ) || matches!(w, "breach" | "leak" | "leaked" | "leaking" | "exposed") && data.is_some()
            || is_leak_word(w) && data.is_some()
            || is_privacy_law(w) && (cs..ce).any(|k| is_violation(doc.word(k)))
            || data.is_some() && someone_elses(doc, j, ce) && (cs..ce).any(|k| is_received(doc, k))
    })?;
    if negated_before(doc, cs, cue) {
        return None;
    }
    hit(Kind::PrivacyBreach, 0.75, cs, ce, cue, data.unwrap_or(cue))
}

fn is_data_word(w: &str) -> bool {
    matches!(
        w,
        "data"
            | "details"
            | "information"
            | "info"
            | "invoice"
            | "order"
            | "address"
            | "daten"
            | "rechnung"
            | "bestellung"
            | "adresse"
            | "donnees"
            | "facture"
            | "commande"
            | "coordonnees"
            | "datos"
            | "factura"
            | "pedido"
            | "direccion"
            | "dados"
            | "fatura"
            | "endereco"
    )
}

/// Leaked, in the other four languages.
fn is_leak_word(w: &str) -> bool {
    matches!(
        w,
        "geleakt"
            | "fuite"
            | "fuites"
            | "filtracion"
            | "filtraron"
            | "filtrado"
            | "filtrados"
            | "filtradas"
            | "vazamento"
            | "vazaram"
            | "vazou"
            | "vazados"
            | "vazadas"
    )
}

fn is_privacy_law(w: &str) -> bool {
    matches!(
        w,
        "gdpr" | "dsgvo" | "rgpd" | "lgpd" | "datenschutz" | "privacy"
    )
}

fn is_violation(w: &str) -> bool {
    w.starts_with("violat")
        || w.starts_with("breach")
        || w.starts_with("verstos")
        || w.starts_with("verletz")
        || w.starts_with("viol")
        || w.starts_with("infring")
        || w == "infraction"
        || w == "infraccion"
        || w == "infracao"
}

/// Another person's: "someone else's", "another customer's", "eines anderen Kunden", "d'un autre
/// client", "de otra persona", "de outro cliente".
fn someone_elses(doc: &Doc<'_>, j: usize, ce: usize) -> bool {
    let next = if j + 1 < ce { doc.word(j + 1) } else { "" };
    match doc.word(j) {
        "else" => j > 0 && doc.has(j - 1, Concepts::P_SOMEONE),
        "another" | "other" | "anderen" | "autre" | "otro" | "otra" | "outro" | "outra" => {
            matches!(
                next,
                "customer"
                    | "customers"
                    | "person"
                    | "persons"
                    | "kunden"
                    | "client"
                    | "personne"
                    | "cliente"
                    | "persona"
                    | "pessoa"
            )
        }
        "fremde" | "fremden" => true,
        _ => false,
    }
}

/// The visitor received or can see it: "sent me", "I got", "I can see", "erhalten", "reçu",
/// "me llegó", "recebi".
fn is_received(doc: &Doc<'_>, k: usize) -> bool {
    let w = doc.word(k);
    let next_me = doc.toks.len() > k + 1 && doc.has(k + 1, Concepts::ME);
    matches!(
        w,
        "received"
            | "got"
            | "see"
            | "seeing"
            | "shows"
            | "showing"
            | "erhalten"
            | "bekommen"
            | "sehe"
            | "zugeschickt"
            | "recu"
            | "vois"
            | "affiche"
            | "recibi"
            | "veo"
            | "llego"
            | "aparece"
            | "recebi"
            | "vejo"
            | "chegou"
            | "aparecem"
    ) || matches!(
        w,
        "sent" | "envoye" | "enviaron" | "mandaron" | "enviaram" | "mandaram"
    ) && (next_me || k > 0 && doc.has(k - 1, Concepts::ME))
}

#[cfg(test)]
mod tests {
    use super::super::{KINDS, Kind, detect};
    use crate::triggers::lexicon::Doc;

    fn kinds(text: &str) -> Vec<Kind> {
        let doc = Doc::new(text);
        let mut out = [None; KINDS];
        detect(&doc, &mut out);
        out.iter().flatten().map(|h| h.kind).collect()
    }

    fn assert_kind(kind: Kind, yes: &[&str], no: &[&str]) {
        for t in yes {
            assert!(kinds(t).contains(&kind), "{t}: {:?}", kinds(t));
        }
        for t in no {
            assert!(!kinds(t).contains(&kind), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn an_account_taken_over_in_five_languages() {
        assert_kind(
            Kind::AccountTakeover,
            &[
                "my account got hacked last night",
                "somebody used my card on your site",
                "there's an unauthorised charge of £80 on my statement",
                "Mein Kundenkonto wurde gehackt.",
                "Jemand hat mit meinem Konto Sachen bestellt",
                "mon compte a été piraté hier soir",
                "quelqu'un a passé commande avec mon compte",
                "me hackearon la cuenta anoche",
                "alguien compró con mi tarjeta sin mi permiso",
                "invadiram minha conta e trocaram o email",
                "fizeram uma compra não autorizada no meu cartão",
            ],
            &[
                "what should I do if my account is hacked?",
                "my account wasn't hacked, I just forgot the password",
                "can someone else use my account?",
                "I'd like to use my card for this order",
                "my kids used my account to watch cartoons, it's fine",
                "we reached a compromise on the delivery date",
                "comment sécuriser mon compte contre les pirates ?",
            ],
        );
    }

    #[test]
    fn harm_done_by_a_product_needs_a_cause_or_a_fire() {
        assert_kind(
            Kind::SafetyIncident,
            &[
                "the charger you sold me caught fire overnight",
                "my daughter got a rash from your sun cream",
                "I had an allergic reaction after using the serum",
                "Das Netzteil hat Feuer gefangen!",
                "Mein Sohn hat von der Creme einen Ausschlag bekommen",
                "la batterie a pris feu dans mon sac",
                "j'ai eu une réaction allergique après avoir utilisé le shampoing",
                "la licuadora explotó mientras la usaba",
                "terminé con intoxicación después de comer en su local",
                "o carregador pegou fogo na tomada",
                "meu filho ficou com brotoejas depois de usar o creme",
            ],
            &[
                "can this cream cause a rash?",
                "my dog has a rash, which food do you recommend",
                "is the heater safe, it won't catch fire?",
                "the Fire TV stick arrived today",
                "the battery never caught fire, it just stopped",
                "Ich habe eine Allergie gegen Nüsse.",
                "¿el cargador puede prender fuego?",
            ],
        );
    }

    #[test]
    fn personal_data_exposed_is_told_from_privacy_questions() {
        assert_kind(
            Kind::PrivacyBreach,
            &[
                "you sent me someone else's invoice",
                "I can see another customer's address in my account",
                "I think your shop leaked my data",
                "you are violating the GDPR by emailing me",
                "Bei euch gab es ein Datenleck, meine Adresse ist im Netz",
                "j'ai reçu la facture d'un autre client",
                "filtraron mis datos personales",
                "vazaram meus dados e agora recebo golpes",
            ],
            &[
                "how do you protect my data?",
                "are you GDPR compliant?",
                "I'd like to send this order to another person",
                "please update the address on my invoice",
                "is there a leak in the fridge door seal?",
            ],
        );
    }
}
