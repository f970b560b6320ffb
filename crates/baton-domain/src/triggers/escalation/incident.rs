//! Incidents a support team takes over whatever the visitor's tone: an account taken over ("my
//! account was hacked", "jemand hat mit meinem Konto bestellt"), harm done by a product ("the
//! charger caught fire", "my son got a rash from your cream") and personal data exposed ("you
//! sent me someone else's invoice", "vazaram meus dados").
//!
//! Each rule reads one clause, as the other escalation rules do: a question ("what do I do if
//! my account is hacked?", "can this cream cause a rash?") or a negated report ("my account
//! wasn't hacked") is no incident, and harm needs a cause named ("from your cream", "after
//! using it"), so "my dog has a rash, which food helps?" stays a product question.
//!
//! The words each rule looks for are kinds of [`Cue`] in one table, looked up once per word of
//! a clause; a clause with none of them (most clauses) costs nothing more.

use std::sync::OnceLock;

use super::{Hit, Kind, PAYMENT_WORDS, hit, negated_before};
use crate::triggers::lexicon::{Concepts, Doc, WordMap, bits_by_word};

/// What a word can contribute to an incident (bits of a `u32`).
struct Cue;

impl Cue {
    /// Says an account was hacked whatever follows: "hacked", "gehackt", "hackearon".
    const HACKED: u32 = 1 << 0;
    /// Says so next to an account or card only: "compromised", "piraté", "invadiram", "clonada".
    const HACKED_IF_ACCOUNT: u32 = 1 << 1;
    /// An account, card, login or the visitor's name: where a takeover happens.
    const ACCOUNT: u32 = 1 << 2;
    /// "unauthorized", "unberechtigt": a charge nobody allowed.
    const UNAUTHORISED: u32 = 1 << 3;
    /// "autorisiert", "autorisée", "autorizado": unauthorised after a negation.
    const AUTHORISED: u32 = 1 << 4;
    /// "permission", "Zustimmung", "consentement": unauthorised after "without my".
    const CONSENT: u32 = 1 << 5;
    /// "used", "bestellt", "commandé", "compró", "comprou": someone else using the account.
    const USED: u32 = 1 << 6;
    /// "fire", "Feuer", "feu", "fuego", "fogo": harm after "caught", "fing", "pris", "pegou".
    const FIRE: u32 = 1 << 7;
    /// "exploded", "incendie", "Stromschlag": harm by itself.
    const BURST: u32 = 1 << 8;
    /// A rash, an injury, a poisoning: harm to a body, counted with a cause.
    const HARM: u32 = 1 << 9;
    /// "allergic", "réaction": harm when the other word follows.
    const ALLERGY: u32 = 1 << 10;
    /// "from", "after", "nach", "après", "después", "depois", "gave": what caused the harm.
    const CAUSE: u32 = 1 << 11;
    /// "Datenleck", "data breach" in one word: exposed data by itself.
    const DATA_LEAK: u32 = 1 << 12;
    /// "leaked", "breach", "fuite", "filtraron", "vazaram": exposed data with a data word.
    const LEAK: u32 = 1 << 13;
    /// "data", "invoice", "Rechnung", "facture", "datos", "dados": what was exposed.
    const DATA: u32 = 1 << 14;
    /// "GDPR", "DSGVO", "RGPD", "LGPD": broken with a violation word.
    const PRIVACY_LAW: u32 = 1 << 15;
    /// "else", "another", "anderen", "autre", "otro", "outra": another person's.
    const OTHER: u32 = 1 << 16;
    /// "customer", "Kunden", "client", "persona", "pessoa": the other person after [`Cue::OTHER`].
    const OTHER_PERSON: u32 = 1 << 17;
    /// "received", "got", "sehe", "reçu", "recibí", "recebi": the visitor got it.
    const RECEIVED: u32 = 1 << 18;
    /// "sent", "envoyé", "mandaron": the visitor got it when "me" is next to it.
    const SENT: u32 = 1 << 19;
    /// "payment", "charge", "Abbuchung", "paiement", "cargo", "compra": a payment the visitor
    /// may disown ("… and it wasn't me").
    const PAYMENT: u32 = 1 << 20;
    /// "sparks", "melted", "monoxide": a hazard by itself.
    const HAZARD: u32 = 1 << 21;
    /// "gas", "gaz", "Gas": a hazard next to a smell word.
    const GAS: u32 = 1 << 22;
    /// "smell", "riecht", "odeur", "huele", "cheiro": what makes gas a hazard.
    const SMELL: u32 = 1 << 23;
    /// "wires", "Kabel", "fils", "cables", "fios": a hazard next to a bare word.
    const WIRES: u32 = 1 << 24;
    /// "bare", "exposed", "blanke", "dénudés", "pelados", "expostos": wires left open.
    const BARE: u32 = 1 << 25;
    /// "brakes", "Bremsen", "freins", "frenos", "travões": a hazard next to a failure word.
    const BRAKES: u32 = 1 << 26;
    /// "failed", "versagt", "lâché", "fallaron", "falharam": brakes that did not hold.
    const GAVE_WAY: u32 = 1 << 27;

    /// The cues that can start an incident: a clause without one is skipped.
    const STARTS: u32 = Self::HACKED
        | Self::HACKED_IF_ACCOUNT
        | Self::UNAUTHORISED
        | Self::AUTHORISED
        | Self::CONSENT
        | Self::USED
        | Self::FIRE
        | Self::BURST
        | Self::HARM
        | Self::ALLERGY
        | Self::DATA_LEAK
        | Self::LEAK
        | Self::PRIVACY_LAW
        | Self::OTHER
        | Self::PAYMENT
        | Self::HAZARD
        | Self::GAS
        | Self::WIRES
        | Self::BRAKES;
}

#[rustfmt::skip]
const CUES: &[(u32, &[&str])] = &[
    (Cue::HACKED, &[
        "hacked", "hijacked", "gehackt", "gekapert", "hackeado", "hackeada", "hackearon",
        "jaqueado", "jaqueada", "hackeou", "hackearam",
    ]),
    (Cue::HACKED_IF_ACCOUNT, &[
        "compromised", "cloned", "kompromittiert", "geklont", "pirate", "piratee", "clone",
        "clonee", "clonaron", "clonada", "clonado", "invadida", "invadido", "invadiram", "invadiu",
        "clonaram",
    ]),
    (Cue::ACCOUNT, &[
        "account", "accounts", "card", "login", "profile", "name", "konto", "kundenkonto", "karte",
        "kreditkarte", "namen", "compte", "carte", "nom", "cuenta", "tarjeta", "nombre", "conta",
        "cartao", "nome",
    ]),
    (Cue::UNAUTHORISED, &[
        "unauthorized", "unauthorised", "unberechtigt", "unberechtigte", "unberechtigten",
    ]),
    (Cue::AUTHORISED, &[
        "autorisiert", "autorisierte", "autorise", "autorisee", "autorises", "autorisees",
        "autorizado", "autorizada", "autorizados", "autorizadas",
    ]),
    (Cue::CONSENT, &[
        "permission", "consent", "authorization", "authorisation", "knowledge", "zustimmung",
        "erlaubnis", "genehmigung", "einwilligung", "accord", "autorisation", "consentement",
        "permiso", "autorizacion", "consentimiento", "permissao", "autorizacao", "consentimento",
    ]),
    (Cue::USED, &[
        "used", "using", "ordered", "bought", "placed", "logged", "accessed", "opened", "paid",
        "benutzt", "verwendet", "bestellt", "gekauft", "eingeloggt", "angemeldet", "bezahlt",
        "utilise", "commande", "achete", "connecte", "paye", "uso", "usando", "compro", "pidio",
        "entro", "pago", "usou", "comprou", "pediu", "entrou", "pagou", "fez",
    ]),
    (Cue::FIRE, &["fire", "feuer", "brand", "feu", "fuego", "fogo"]),
    (Cue::BURST, &[
        "incendio", "incendiou", "incendie", "exploded", "explodiert", "explose", "explosee",
        "exploto", "explodiu", "estallo", "shock", "stromschlag", "electrocuted", "electrocute",
        "electrocutee", "electrocutado", "eletrocutado",
    ]),
    (Cue::HARM, &[
        "rash", "hives", "hurt", "ausschlag", "urticaire", "urticaria", "sarpullido", "ronchas",
        "brotoeja", "brotoejas", "injured", "injury", "verletzt", "verletzung", "blesse",
        "blessee", "blessure", "herido", "herida", "lesionado", "lesion", "ferido", "ferida",
        "machucou", "machucado", "poisoning", "poisoned", "vergiftung", "lebensmittelvergiftung",
        "intoxication", "intoxique", "intoxiquee", "intoxicacion", "intoxicado", "intoxicada",
        "intoxicacao",
    ]),
    (Cue::HARM, &[
        "bleeding", "bled", "blutet", "blutete", "saigne", "saignait", "saigner",
        "sangrando", "sangraba", "sangrou", "sangrava", "sangrar", "stitches", "genaht",
        "vomiting", "vomited", "erbrochen", "vomi", "vomissements", "vomitando", "vomitaron",
        "vomitou", "vomito", "gastroenteritis", "gastro", "concussion",
    ]),
    (Cue::HAZARD, &[
        "sparks", "sparking", "sparked", "funken", "etincelles", "chispas", "chispazos",
        "faiscas", "faisca", "melted", "geschmolzen", "derritio", "derretiu", "scorched",
        "monoxide", "kohlenmonoxid", "monoxyde", "monoxido", "gasgeruch", "gasleck",
    ]),
    (Cue::GAS, &["gas", "gaz"]),
    (Cue::SMELL, &[
        "smell", "smells", "smelling", "riecht", "geruch", "odeur", "huele", "olor",
        "cheiro", "cheira", "leak", "leaking", "fuite", "fuga", "vazamento", "leck",
    ]),
    (Cue::WIRES, &[
        "wire", "wires", "wiring", "kabel", "stromkabel", "leitungen", "fils", "cables", "cable",
        "fios", "cabos",
    ]),
    (Cue::BARE, &[
        "bare", "exposed", "live", "hanging", "offene", "offen", "blanke", "freiliegende",
        "denudes", "nus", "pelados", "expuestos", "desencapados", "descascados", "expostos",
    ]),
    (Cue::BRAKES, &[
        "brakes", "brake", "bremsen", "bremse", "freins", "frein", "frenos", "freno", "travoes",
        "travao", "freios", "freio",
    ]),
    (Cue::GAVE_WAY, &[
        "failed", "fail", "failing", "gone", "versagt", "versagten", "versagen", "lache",
        "lachent", "fallaron", "fallan", "fallo", "falharam", "falhou", "falham",
    ]),
    (Cue::ALLERGY, &[
        "allergic", "allergische", "allergischen", "reaction", "reaccion", "reacao",
    ]),
    (Cue::CAUSE, &[
        "from", "after", "because", "by", "gave", "caused", "von", "nach", "durch", "wegen",
        "verursacht", "apres", "cause", "depuis", "avec", "despues", "por", "causo", "culpa",
        "depois", "causou", "deu", "dio", "to", "con", "com", "your", "you", "ihr", "ihre",
        "ihrer", "ihrem", "euer", "eure", "eurem", "bei", "votre", "vos", "vous", "chez", "su",
        "sus", "ustedes", "voces", "seu", "sua", "vossa", "since", "seit", "desde", "at", "in",
        "im", "dans", "en",
    ]),
    (Cue::DATA_LEAK, &["datenleck", "datenlecks", "datenpanne", "datenschutzverletzung"]),
    (Cue::LEAK, &[
        "breach", "leak", "leaked", "leaking", "exposed", "geleakt", "fuite", "fuites",
        "filtracion", "filtraron", "filtrado", "filtrados", "filtradas", "vazamento", "vazaram",
        "vazou", "vazados", "vazadas",
    ]),
    (Cue::DATA, &[
        "data", "details", "information", "info", "invoice", "order", "address", "daten",
        "rechnung", "bestellung", "adresse", "donnees", "facture", "commande", "coordonnees",
        "datos", "factura", "pedido", "direccion", "dados", "fatura", "endereco",
    ]),
    (Cue::PRIVACY_LAW, &["gdpr", "dsgvo", "rgpd", "lgpd", "datenschutz", "privacy"]),
    (Cue::OTHER, &[
        "else", "another", "other", "anderen", "autre", "otro", "otra", "outro", "outra", "fremde",
        "fremden",
    ]),
    (Cue::OTHER_PERSON, &[
        "customer", "customers", "person", "persons", "kunden", "client", "personne", "cliente",
        "persona", "pessoa",
    ]),
    (Cue::RECEIVED, &[
        "received", "got", "see", "seeing", "shows", "showing", "erhalten", "bekommen", "sehe",
        "zugeschickt", "recu", "vois", "affiche", "recibi", "veo", "llego", "aparece", "recebi",
        "vejo", "chegou", "aparecem",
    ]),
    (Cue::SENT, &["sent", "envoye", "enviaron", "mandaron", "enviaram", "mandaram"]),
    (Cue::PAYMENT, PAYMENT_WORDS),
    (Cue::PAYMENT, &[
        "payments", "purchase", "purchases", "zahlungen", "abbuchungen", "achat", "cargos",
        "cobros", "pagos", "compras",
    ]),
];

/// The cues of a folded word (0 for most words).
fn cue(w: &str) -> u32 {
    static TABLE: OnceLock<WordMap<u32>> = OnceLock::new();
    TABLE
        .get_or_init(|| bits_by_word(CUES))
        .get(w)
        .copied()
        .unwrap_or(0)
}

/// The incidents of one clause: an account taken over, harm done, data exposed (in [`Kind`]
/// order), each at most once.
pub(super) fn detect(doc: &Doc<'_>, cs: usize, ce: usize) -> [Option<Hit>; 3] {
    if (cs..ce).all(|j| cue(doc.word(j)) & Cue::STARTS == 0) {
        return [None; 3];
    }
    let cues: Vec<u32> = (cs..ce).map(|j| cue(doc.word(j))).collect();
    let clause = Clause { doc, cs, ce, cues };
    let found = [
        clause.account_takeover(),
        clause.safety_incident(),
        clause.privacy_breach(),
    ];
    // A question word opening the clause asks ("what if my account is hacked"); one further
    // in is a subordinate clause of a report ("sparks came out when I plugged it in").
    let asked = (cs..(cs + 2).min(ce)).any(|j| doc.has(j, Concepts::QWORD))
        || doc.question_mark_after(ce - 1);
    if found.iter().all(Option::is_none) || !asked {
        found
    } else {
        [None; 3]
    }
}

/// A clause with the cues of its words.
struct Clause<'d, 'a> {
    doc: &'d Doc<'a>,
    cs: usize,
    ce: usize,
    cues: Vec<u32>,
}

impl Clause<'_, '_> {
    /// The cues of token `j` (0 outside the clause).
    fn at(&self, j: usize) -> u32 {
        j.checked_sub(self.cs)
            .and_then(|i| self.cues.get(i))
            .copied()
            .unwrap_or(0)
    }

    fn find(&self, cue: u32) -> Option<usize> {
        (self.cs..self.ce).find(|&j| self.at(j) & cue != 0)
    }

    fn word(&self, j: usize) -> &str {
        if (self.cs..self.ce).contains(&j) {
            self.doc.word(j)
        } else {
            ""
        }
    }

    /// The word before token `j` in the clause, or "".
    fn before(&self, j: usize) -> &str {
        j.checked_sub(1).map_or("", |i| self.word(i))
    }

    /// The cue at `cue` reported, not negated before it (a negation at `own` belongs to the cue:
    /// "não autorizada").
    fn stated(&self, cue: usize, own: usize) -> bool {
        !negated_before(self.doc, self.cs, own.min(cue))
    }

    /// An account or card taken over: a hacking word ("hacked", "gehackt", "piraté" next to an
    /// account, "invadiram minha conta"), a charge or order not authorised ("unauthorized
    /// charge", "não autorizada", "sin mi autorización"), or someone else using the visitor's
    /// account, card or name ("someone placed orders in my name", "jemand hat mit meinem Konto
    /// bestellt", "alguien compró con mi cuenta").
    fn account_takeover(&self) -> Option<Hit> {
        let doc = self.doc;
        let account = self.find(Cue::ACCOUNT);
        let cue = (self.cs..self.ce).find(|&j| {
            let c = self.at(j);
            c & Cue::HACKED != 0
                || c & Cue::HACKED_IF_ACCOUNT != 0 && account.is_some()
                || c & Cue::UNAUTHORISED != 0 && !self.http_status(j)
                || c & Cue::AUTHORISED != 0 && j > self.cs && doc.has(j - 1, Concepts::NEG)
                || c & Cue::CONSENT != 0 && self.without_my(j)
                || account.is_some_and(|a| a > j && self.someone_used(j, a))
                || c & Cue::PAYMENT != 0 && disowned(doc)
        })?;
        let own = if self.at(cue) & Cue::AUTHORISED != 0 {
            cue - 1
        } else if self.at(cue) & Cue::CONSENT != 0 {
            cue - 2
        } else {
            cue
        };
        self.stated(cue, own)
            .then(|| {
                hit(
                    Kind::AccountTakeover,
                    0.75,
                    self.cs,
                    self.ce,
                    cue,
                    account.unwrap_or(cue),
                )
            })
            .flatten()
    }

    /// "401 Unauthorized": the HTTP status a server answers, not a charge nobody allowed.
    fn http_status(&self, j: usize) -> bool {
        j > self.cs
            && self
                .doc
                .number(j - 1)
                .is_some_and(|n| (400..500).contains(&n))
    }

    /// "without my permission", "ohne meine Zustimmung", "sans mon accord", "sin mi permiso",
    /// "sem minha autorização": the consent word at `j`.
    fn without_my(&self, j: usize) -> bool {
        j >= self.cs + 2
            && self.doc.has(j - 1, Concepts::POSS1)
            && matches!(
                self.before(j - 1),
                "without" | "ohne" | "sans" | "sin" | "sem"
            )
    }

    /// Someone else at `j`, then the visitor's account, card or name at `account` and a verb of
    /// using or buying anywhere in the clause (German puts it last).
    fn someone_used(&self, j: usize, account: usize) -> bool {
        let doc = self.doc;
        if !doc.has(j, Concepts::P_SOMEONE) {
            return false;
        }
        let mine = account > self.cs && doc.has(account - 1, Concepts::POSS1)
            || account > self.cs + 1 && doc.has(account - 2, Concepts::POSS1);
        mine && self.find(Cue::USED).is_some_and(|u| u > j)
    }

    /// Harm done by a product or service: it caught fire or exploded, gave an electric shock,
    /// or a rash, an allergic reaction, an injury or food poisoning with a cause named ("from
    /// your cream", "after eating there", "because of the heater").
    fn safety_incident(&self) -> Option<Hit> {
        // The cause may come in an earlier clause: "my son cut his hand on your packaging, it
        // was bleeding everywhere".
        let caused = self.find(Cue::CAUSE).is_some()
            || (0..self.cs).any(|k| cue(self.doc.word(k)) & Cue::CAUSE != 0);
        let cue = (self.cs..self.ce).find(|&j| {
            let c = self.at(j);
            c & Cue::FIRE != 0 && self.fire_caught(j)
                || c & Cue::BURST != 0 && (self.word(j) != "shock" || self.before(j) == "electric")
                || c & Cue::HAZARD != 0
                || c & Cue::GAS != 0 && (self.near(j, Cue::SMELL) || self.french_smell(j))
                || c & Cue::WIRES != 0 && self.near(j, Cue::BARE)
                || c & Cue::BRAKES != 0 && self.find(Cue::GAVE_WAY).is_some()
                || caused && (c & Cue::HARM != 0 || c & Cue::ALLERGY != 0 && self.allergy(j))
        })?;
        self.stated(cue, cue)
            .then(|| hit(Kind::SafetyIncident, 0.8, self.cs, self.ce, cue, cue))
            .flatten()
    }

    /// A word with `cue` within three words of token `j`: "smell of gas", "Gas riecht",
    /// "bare wires", "fils électriques dénudés".
    fn near(&self, j: usize, cue: u32) -> bool {
        (j.saturating_sub(3)..=j + 3).any(|k| k != j && self.at(k) & cue != 0)
    }

    /// "ça sent le gaz": French smells with "sent", which is a past tense elsewhere ("I sent
    /// the gas reading").
    fn french_smell(&self, j: usize) -> bool {
        j >= self.cs + 2 && self.before(j) == "le" && self.word(j - 2) == "sent"
    }

    /// "caught fire", "on fire", "fing Feuer", "Feuer gefangen", "in Brand", "a pris feu",
    /// "se prendió fuego", "pegou fogo" (not "the Fire TV stick", "a brand").
    fn fire_caught(&self, j: usize) -> bool {
        let prev = self.before(j);
        match self.word(j) {
            "fire" => matches!(prev, "caught" | "catches" | "catching" | "on"),
            "feuer" => prev == "fing" || self.word(j + 1) == "gefangen",
            "brand" => prev == "in",
            "feu" => matches!(prev, "pris" | "prend" | "prenait"),
            "fuego" => matches!(prev, "prendio" | "agarro" | "prende"),
            "fogo" => matches!(prev, "pegou" | "pegando" | "pegar"),
            _ => false,
        }
    }

    /// "allergic reaction", "allergische Reaktion", "réaction allergique", "reacción alérgica",
    /// "reação alérgica".
    fn allergy(&self, j: usize) -> bool {
        let next = self.word(j + 1);
        match self.word(j) {
            "allergic" => next == "reaction",
            "allergische" | "allergischen" => next.starts_with("reaktion"),
            _ => next.starts_with("aller") || next == "alergica",
        }
    }

    /// Personal data exposed: a leak or breach of data ("data breach", "Datenleck", "fuite de
    /// données", "filtraron mis datos", "vazaram meus dados"), someone else's data received
    /// ("you sent me someone else's invoice", "j'ai reçu la facture d'un autre client"), or a
    /// data protection law said to be broken ("you're violating the GDPR").
    fn privacy_breach(&self) -> Option<Hit> {
        let data = self.find(Cue::DATA);
        let received = (self.cs..self.ce).any(|k| self.received(k));
        let violated = (self.cs..self.ce).any(|k| is_violation(self.word(k)));
        let cue = (self.cs..self.ce).find(|&j| {
            let c = self.at(j);
            c & Cue::DATA_LEAK != 0
                || c & Cue::LEAK != 0 && data.is_some()
                || c & Cue::PRIVACY_LAW != 0 && violated
                || c & Cue::OTHER != 0 && data.is_some() && received && self.someone_elses(j)
        })?;
        self.stated(cue, cue)
            .then(|| {
                hit(
                    Kind::PrivacyBreach,
                    0.75,
                    self.cs,
                    self.ce,
                    cue,
                    data.unwrap_or(cue),
                )
            })
            .flatten()
    }

    /// Another person's: "someone else's", "another customer's", "eines anderen Kunden", "d'un
    /// autre client", "de otra persona", "fremde Daten".
    fn someone_elses(&self, j: usize) -> bool {
        match self.word(j) {
            "else" => j > self.cs && self.doc.has(j - 1, Concepts::P_SOMEONE),
            "fremde" | "fremden" => true,
            _ => self.at(j + 1) & Cue::OTHER_PERSON != 0,
        }
    }

    /// The visitor received or can see it: "I got", "I can see", "erhalten", "reçu", "me
    /// llegó", "recebi"; "sent me", "mandaron" with "me".
    fn received(&self, k: usize) -> bool {
        let c = self.at(k);
        c & Cue::RECEIVED != 0
            || c & Cue::SENT != 0
                && ((k + 1 < self.ce && self.doc.has(k + 1, Concepts::ME))
                    || k > self.cs && self.doc.has(k - 1, Concepts::ME))
    }
}

fn is_violation(w: &str) -> bool {
    ["violat", "breach", "verstos", "verletz", "viol", "infring"]
        .iter()
        .any(|p| w.starts_with(p))
        || matches!(w, "infraction" | "infraccion" | "infracao")
}

/// Phrases (folded words) by which the visitor disowns a payment: "it wasn't me", "I didn't
/// make it", "no fui yo", "que eu não fiz", "das war ich nicht", "ce n'est pas moi".
const DISOWNED: [&[&str]; 14] = [
    &["wasn", "t", "me"],
    &["was", "not", "me"],
    &["i", "didn", "t", "make"],
    &["i", "did", "not", "make"],
    &["no", "fui", "yo"],
    &["que", "no", "hice"],
    &["yo", "no", "hice"],
    &["nao", "fui", "eu"],
    &["eu", "nao", "fiz"],
    &["war", "ich", "nicht"],
    &["nicht", "von", "mir"],
    &["nicht", "getatigt"],
    &["pas", "moi"],
    &["je", "n", "ai", "pas", "fait"],
];

/// Anywhere in the turn, the visitor disowns a payment ([`DISOWNED`]): with a payment named,
/// someone else paid with the visitor's card or account ("There's a £412 payment on my card and
/// it wasn't me", "Tem uma compra de R$ 780 no meu cartão que eu não fiz").
fn disowned(doc: &Doc<'_>) -> bool {
    doc.has_phrase(&DISOWNED)
}

#[cfg(test)]
mod tests {
    use super::super::Kind;
    use super::super::tests::assert_kind;

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
                "There's a payment of 80 pounds on my card and it wasn't me",
                "Tengo un cargo de 300 pesos en la tarjeta que no hice",
                "Auf meiner Karte ist eine Abbuchung, die war ich nicht",
                "Il y a un paiement de 50 euros sur ma carte, ce n'est pas moi",
                "Tem uma compra de R$ 780 no meu cartão que eu não fiz",
            ],
            &[
                "what should I do if my account is hacked?",
                "my account wasn't hacked, I just forgot the password",
                "can someone else use my account?",
                "I'd like to use my card for this order",
                "my kids used my account to watch cartoons, it's fine",
                "we reached a compromise on the delivery date",
                "comment sécuriser mon compte contre les pirates ?",
                "our webhook gets a 401 Unauthorized with the right token",
                "I made the payment yesterday, was it received?",
                "it wasn't me who ordered the flowers, it was my wife, can I change the card?",
            ],
        );
    }

    #[test]
    fn harm_done_by_a_product_needs_a_cause_a_fire_or_a_hazard() {
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
                "my son had an allergic reaction to the nuggets, they were meant to be nut free",
                "my little girl got hurt by the broken swing in your play area",
                "tuve una reacción alérgica con el sérum que me vendieron",
                "there's bare wires sticking out of the light switch in room 214",
                "sparks came out of the socket when I plugged in the kettle",
                "the charger you sold me got so hot it melted the plug",
                "our carbon monoxide alarm keeps going off since the boiler service",
                "strong smell of gas by the meter",
                "the brakes failed on the hire car an hour after pick-up",
                "my son cut his hand on your packaging, it was bleeding everywhere",
                "we ate at your Camden branch and have been vomiting all night",
                "Im Treppenhaus hängen blanke Kabel aus der Wand",
                "Es riecht nach Gas im Keller",
                "ça sent le gaz dans la cage d'escalier",
                "il y a des fils électriques dénudés au plafond",
                "los frenos fallaron a los diez minutos",
                "el cargador soltó chispas y humo",
                "os travões falharam na autoestrada",
                "meu filho cortou o dedo na embalagem de vocês, está sangrando",
            ],
            &[
                "can this cream cause a rash?",
                "my dog has a rash, which food do you recommend",
                "is the heater safe, it won't catch fire?",
                "the Fire TV stick arrived today",
                "the battery never caught fire, it just stopped",
                "Ich habe eine Allergie gegen Nüsse.",
                "¿el cargador puede prender fuego?",
                "does it hurt to get the ears pierced at your salon?",
                "it won't hurt to ask: do you deliver to Cork?",
                "is the serum suitable for people prone to allergic reactions?",
                "I sent the gas meter reading yesterday",
                "how do I change the brake pads on the e-bike?",
                "do your gas boilers come with a carbon monoxide alarm?",
                "the cables you sent are too short",
                "is the live chat open on Sundays?",
                "mon fils a reçu la facture du gaz",
                "¿los frenos de disco vienen incluidos?",
                "the brakes are great, no complaints",
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
