//! The word lists by concept, in English, Spanish, French, German and Portuguese, and the lookup
//! table built from them once: a folded word's concepts, the multi-word entries it starts, and
//! the key words whose one-letter typos still count.
//!
//! Words are written folded (lower case, no accents, apostrophes and hyphens as spaces), the way
//! `text` produces them. Entries under [`Concepts::BLOCKED`] name other senses of person words
//! ("travel agent", "human resources"). Owns no rules: `tagging` applies the entries to a turn.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::concepts::Concepts;

#[rustfmt::skip]
const ENTRIES: &[(Concepts, &[&str])] = &[
    (
        Concepts::P_STRONG,
        &[
            // en
            "human", "humans", "person", "agent", "agents", "representative", "representatives",
            "rep", "reps", "operator", "operators", "supervisor", "supervisors", "manager",
            "director", "directora", "directeur", "directrice", "direktor", "direktorin",
            "diretor", "diretora",
            "managers", "advisor", "advisors", "adviser", "consultant", "specialist", "technician",
            "staff", "employee", "attendant", "boss", "colleague", "colleagues", "coworker",
            "team members", "staff members", "expert", "experts", "specialists", "members of our team",
            "co worker", "colega", "colegas", "collegue", "kollege", "kollegen", "kollegin", "human being", "team member", "staff member",
            "member of staff", "member of your team", "member of the team",
            "customer service representative", "customer service agent", "live chat",
            "menschliche hilfe", "menschliche unterstutzung", "menschlichen support",
            "aide humaine", "assistance humaine", "ayuda humana", "asistencia humana",
            "soporte humano", "ajuda humana", "assistencia humana", "suporte humano",
            "live support", "live help", "live person", "live assistance", "human support",
            "human help", "human assistance", "human contact",
            // es
            "humano", "humana", "humanos", "persona", "agente", "agentes", "asesor", "asesora",
            "asesores", "operador", "operadora", "operadores", "representante", "representantes",
            "supervisora", "encargado", "encargada", "gerente", "responsable", "ejecutivo",
            "ejecutiva", "empleado", "empleada", "ser humano", "especialista", "tecnico", "jefe",
            "chat en vivo", "atencion personal", "atencion personalizada",
            // fr
            "humain", "humaine", "humains", "personne", "conseiller", "conseillere", "conseillers",
            "operateur", "operatrice", "representant", "interlocuteur", "interlocutrice",
            "technicien", "employe", "etre humain", "chat en direct", "superviseur",
            // de
            "mensch", "menschen", "mitarbeiter", "mitarbeiterin", "mitarbeitern", "berater",
            "beraterin", "ansprechpartner", "ansprechpartnerin", "agenten", "vorgesetzten",
            "vorgesetzter", "vorgesetzte", "sachbearbeiter", "sachbearbeiterin", "techniker",
            "kundenberater", "kundenberaterin", "kundenbetreuer", "kundenbetreuerin", "betreuer",
            "betreuerin",
            // pt
            "pessoa", "atendente", "atendentes", "consultor", "consultora", "responsavel",
            "funcionario", "funcionaria", "chat ao vivo", "atendimento humano",
            // plurals and chat spellings
            "hooman", "hoomans", "hoomin", "advisers", "consultants", "technicians",
            "caseworker", "caseworkers", "tecnicos", "especialistas", "consultores",
            "collaborateur", "collaborateurs", "collaboratrice", "gestor de conta",
            "gestora de conta", "gestor de cuenta", "membre du personnel",
        ],
    ),
    (
        Concepts::P_SOMEONE,
        &[
            "someone", "somebody", "anyone", "anybody", "some one", "some body", "alguien",
            "sum1", "some1", "any1", "sm1",
            "quelqu un", "jemand", "jemanden", "jemandem", "alguem",
            // SMS spellings
            "qqn", "qq1", "smbdy", "alguen", "whoever",
        ],
    ),
    (
        Concepts::P_WEAK,
        &[
            "assistant", "people", "associate", "clerk", "owner", "asistente", "assistente",
            "inhaber", "inhaberin", "chef", "chefin", "leiter", "leiterin", "chefe", "head of",
            "geschaftsfuhrer", "gerant", "gerante", "proprietaire",
            "dueno", "duena", "propietario", "propietaria", "dono", "proprietario",
            "leute", "gente", "patron", "engineer", "engineers", "receptionist", "front desk",
            "rezeption", "recepcion", "recepcao", "accueil", "handler", "nurse", "courtier",
            "courtiers", "tecnico", "technicien",
            // trades, counted only when asked for
            "pharmacist", "optician", "optometrist", "dietitian", "dietician", "nutritionist",
            "stylist", "hairdresser", "concierge", "coordinator",
            "planner", "adjuster", "officer", "founder", "farmaceutico", "farmaceutica", "optico",
            "optometrista", "nutricionista", "dietista", "estilista", "peluquero", "peluquera",
            "enfermero", "enfermera", "coordinador", "coordinadora",
            "perito", "pharmacien", "pharmacienne", "opticien", "opticienne", "nutritionniste",
            "dieteticienne", "coiffeur", "coiffeuse", "infirmier", "infirmiere",
            "coordinateur", "coordinatrice", "gestionnaire", "apotheker", "apothekerin",
            "optiker", "optikerin", "friseur", "friseurin", "pfleger",
            "pflegerin", "krankenschwester", "koordinator", "koordinatorin", "gutachter",
            "filialleitung", "geschaftsleitung", "geschaftsfuhrung", "teamleiter",
            "teamleiterin", "cabeleireiro", "cabeleireira", "enfermeiro",
            "enfermeira", "coordenador", "coordenadora", "gestor", "gestora",
            // sales and front-desk staff
            "salesperson", "salespeople", "sales rep", "sales person", "physio",
            "physiotherapist", "vendedor", "vendedora", "vendedores", "comercial", "dependiente",
            "dependienta", "recepcionista", "rececionista", "fisio", "fisioterapeuta", "vendeur",
            "vendeuse", "commercial", "commerciale", "receptionniste", "kine", "verkaufer",
            "verkauferin", "rezeptionist", "rezeptionistin", "physiotherapeut",
            "physiotherapeutin",
        ],
    ),
    (
        Concepts::P_GROUP,
        &[
            "customer service", "customer support", "customer care", "support team",
            "customer services", "customer assistance", "client services", "customer relations",
            "service desk", "service apres vente", "centro de atencion", "centro de llamadas", "linea de atencion",
            "centre d appel", "centre d appels", "o atendimento", "do atendimento",
            "com o atendimento", "no atendimento",
            "tech support", "technical support", "help desk", "helpdesk", "sales team", "sales",
            "billing department", "billing team", "your team", "the team", "support staff",
            "ur team",
            "department", "servicio al cliente", "atencion al cliente", "servicio tecnico",
            "soporte tecnico", "equipo de soporte", "equipo de ventas", "departamento",
            "el equipo", "service client", "service clientele", "support technique",
            "equipe commerciale", "service commercial", "equipe technique", "kundendienst",
            "kundenservice", "kundensupport", "vertrieb", "technischen support", "support",
            "atendimento ao cliente", "suporte tecnico", "equipe de vendas", "suporte", "sac",
            "central de atendimento", "soporte", "sav",
            // departments
            "area", "buchhaltung", "finanzabteilung", "comptabilite", "contabilidad", "contabilidade",
            "financeiro",
        ],
    ),
    (
        Concepts::QUAL,
        &[
            "real", "actual", "live", "human", "physical", "genuine", "proper", "flesh and blood",
            "de verdad", "de verdade", "verdadero", "verdadera", "en vivo", "ao vivo", "vrai",
            "vraie", "veritable", "reel", "reelle", "en chair et en os", "en direct", "echt",
            "echte", "echten", "echter", "echtes", "richtigen", "richtige", "richtiger", "wirklichen",
            "wirkliche", "menschlichen", "humano", "humana", "de carne y hueso", "de carne e osso",
            "aus fleisch und blut", "real life", "vivant",
        ],
    ),
    (
        Concepts::CONTACT,
        &[
            // en
            "talk", "speak", "chat", "contact", "reach", "call", "phone", "converse",
            "communicate", "get in touch", "in touch", "get hold of", "get ahold of", "get through to", "deal",
            "message", "text", "ring",
            // es
            "have a word", "a word with", "book a call", "schedule a call", "arrange a call", "set up a call",
            "spk", "tlk", "entretenir", "hablar", "conversar", "chatear", "contactar", "contactarme", "comunicar",
            "comunicarme", "comunicarse", "llamar", "platicar", "ponerme en contacto", "pasarme",
            "transferirme", "derivarme",
            "ponerse en contacto", "entrar en contacto", "atienda", "atiende", "atender",
            // fr
            "parler", "discuter", "contacter", "joindre", "appeler", "echanger", "tchatter",
            "chatter", "clavarder", "communiquer", "entrer en contact", "avoir affaire",
            "rejoindre",
            // de
            "sprechen", "reden", "chatten", "kontaktieren", "erreichen", "erreiche", "anrufen",
            "anruft", "bei mir melden", "bei uns melden",
            "telefonieren", "schreiben", "kommunizieren", "in kontakt treten", "unterhalten",
            // pt
            "falar", "contatar", "ligar", "chamar", "chama", "chame", "discuss", "discutir",
            "besprechen", "llame", "llamen", "entrar em contato", "entrar em contacto", "teclar",
            "atender", "atendido", "atendida",
        ],
    ),
    (
        Concepts::CONTACT.union(Concepts::CONTACT_ING),
        &[
            "talking", "speaking", "chatting", "contacting", "reaching", "calling", "dealing",
            "communicating", "messaging", "hablando", "conversando", "chateando", "falando",
            "getting in touch",
        ],
    ),
    (
        Concepts::CONTACT_STATE,
        &[
            "hablo", "parle", "spreche", "rede", "chatte", "schreibe", "falo", "converso",
        ],
    ),
    (
        Concepts::TRANSFER,
        &[
            // en
            "transfer", "connect", "escalate", "forward", "redirect", "direct", "pass", "hand over",
            "hand off",
            "put",
            "switch", "route", "hook me up", "put through",
            // es
            "transferir", "transfiere", "transfieran", "pasar", "pasen", "pases", "pasas",
            "pasa", "pase", "pasarle", "pasale", "paselo", "transmitir", "transmita",
            "transmettre", "transmettez", "transmets", "weitergeben", "weitergegeben",
            "repassar", "repassa", "repasse",
            "derivar", "deriva", "conectar", "conecta", "redirigir", "escalar", "escalen",
            "escalenlo", "escalalo", "escalelo", "escalem", "escaladez", "comunica",
            "comunique",
            // fr
            "transferer", "transferez", "transfere", "passer", "passez", "passe", "rediriger",
            "redirigez", "connecter", "mettre en relation", "en relation", "orienter", "orientez",
            // de
            "verbinden", "verbinde", "verbindest", "weiterleiten", "leiten", "leite",
            "durchstellen", "weiterverbinden", "eskalieren", "vermitteln",
            // pt
            "transfere", "transfira", "transferi", "passar", "passa", "encaminhar", "encaminha", "encaminhem",
            "encaminhe", "conecte", "redirecionar", "em contato", "colocar", "coloca", "coloque",
            "transferencia",
        ],
    ),
    (
        Concepts::TRANSFER.union(Concepts::ME),
        &[
            "put me through", "pasame", "transfiereme", "transfierame", "comunicame",
            "comuniqueme", "conectame", "conecteme", "derivame", "paseme", "ponme en contacto",
            "pongame en contacto", "hand me over", "hand me off", "ponme", "poneme", "pongame",
            "llevame", "lleveme", "llevenme",
        ],
    ),
    (
        Concepts::DESIRE,
        &[
            // en
            "want", "wanna", "need", "needs", "wants", "would like", "d like", "prefer", "rather", "wish", "request",
            "requesting", "demand", "insist", "ask", "asking", "asked", "require", "looking for",
            "looking to", "hoping to", "precisa", "necesita", "faut",
            "get me", "give me", "find me", "bring me", "let me", "gimme", "can i have",
            "gib mir", "geben sie mir", "donnez moi", "donne moi", "me da", "me de", "bring",
            "fetch", "dazuholen", "holen", "que venga", "que vengan",
            "could i have", "may i have", "can i get", "could i get", "can we get", "trying",
            "try", "tryin", "have to", "got to", "gotta", "i d love", "get a", "get an",
            "get some", "send me", "mandame", "mandeme", "mandenme", "enviame", "envieme",
            "envoyez moi", "envoie moi", "schicken sie mir", "schick mir", "schickt mir",
            "me manda", "me mande", "me envia", "me envie", "question for", "questions for", "pregunta para",
            "question pour", "frage an", "pergunta para",
            // es
            "quiero", "queria", "quisiera", "necesito", "necesitaria", "gustaria", "deseo",
            "desearia", "prefiero", "pido", "solicito", "exijo", "dame", "dejame", "busco",
            "hace falta", "tengo que", "necesitamos", "queremos",
            // fr
            "veux", "voudrais", "aimerais", "souhaite", "souhaiterais", "besoin", "prefere",
            "preferer", "exige", "demande", "cherche", "donnez moi", "laissez moi", "dois",
            "il me faut", "voulons", "souhaitons", "voudrait", "voudraient", "souhaiterait",
            "aimerait", "aimeraient", "jveux", "jvoudrais", "jveu",
            // de
            "mochte", "moechte", "will", "wollen", "brauche", "brauchen", "benotige", "hatte gern",
            "hatte gerne", "gerne", "gern", "verlange", "lass mich", "lassen sie mich", "suche",
            "muss", "wunsche", "wuensche", "bitte um", "mochten", "braucht", "benotigt",
            "brauchte", "brauchten",
            // pt
            "quero", "preciso", "precisava", "gostaria", "desejo", "prefiro", "peco", "exijo",
            "me da", "deixa eu", "deixe me", "procuro", "tenho que", "queremos", "precisamos",
        ],
    ),
    (
        Concepts::MODAL,
        &[
            "can", "could", "may", "might", "able", "possible", "possibly", "cannot", "cant",
            "couldnt", "unable", "any way", "puedo", "podria", "puede", "pueden", "podrian",
            "podrias", "podes", "posible", "puedes", "pueda", "puedan", "possa", "puisse", "peux", "puis", "pourrais", "pourriez",
            "pouvez", "pourrait", "peut", "peuvent", "pourraient", "kann", "kannst", "konnte", "konnten", "konnen", "moglich",
            "posso", "poderia", "pode", "podem", "possivel", "consigo", "consegue", "da para",
        ],
    ),
    (
        Concepts::NEG,
        &[
            "not", "t", "dont", "doesnt", "didnt", "wont", "never", "without", "stop", "neither",
            "nor", "rather than", "instead of", "no", "nah", "sin", "nunca", "ni", "jamas", "ne",
            "n", "pas", "jamais", "sans", "aucun", "aucune", "non", "plutot que", "au lieu de",
            "nicht", "kein", "keine", "keinen", "keinem", "keiner", "ohne", "nie", "niemals",
            "statt", "anstatt", "nein", "nao", "sem", "nem", "em vez de", "ao inves de",
        ],
    ),
    (
        Concepts::IDENTITY,
        &[
            "i am", "i m", "im", "i work as", "work as", "as a", "as an", "i was", "soy",
            "trabajo como", "je suis", "suis", "travaille comme", "en tant que", "ich bin", "bin",
            "arbeite als", "eu sou", "sou", "trabalho como", "we are", "we re",
        ],
    ),
    (
        Concepts::BEYOU,
        &[
            "are you", "r u", "are u", "you are", "you re", "u r", "is this", "is it", "is that",
            "was that", "am i", "are we", "this is a", "eres", "es usted", "sos", "es esto",
            "esto es", "es un", "es una", "eres tu", "usted es", "etes vous", "es tu", "tu es",
            "vous etes", "est ce un", "est ce une", "c est un", "c est une", "suis je", "bist du",
            "sind sie", "ist das", "du bist", "ist hier", "voce e", "vc e", "e voce", "e um",
            "e uma", "isso e", "sera que voce", "aren t you", "arent you", "seras", "sera usted",
        ],
    ),
    (
        Concepts::BOTNOUN,
        &[
            "bot", "bots", "robot", "robots", "roboter", "robotern", "chatbots", "maquinas", "ai", "chatbot", "machine", "computer", "program",
            "automated", "automatic", "artificial intelligence", "ia", "maquina", "robo", "ki",
            "maschine", "programm", "virtual", "virtuel", "virtuelle", "chat bot",
        ],
    ),
    (
        Concepts::DET,
        &[
            "a", "an", "the", "to", "with", "one", "of", "your", "some", "any", "this", "that",
            "from", "for", "un", "una", "uno", "el", "la", "los", "las", "le", "les", "l", "une",
            "des", "du", "de", "d", "del", "al", "au", "aux", "con", "avec", "mit", "zu", "zum",
            "zur", "einem", "einen", "einer", "eine", "ein", "dem", "den", "der", "die", "das",
            "um", "uma", "o", "os", "as", "com", "ao", "na", "para", "votre", "vos", "ton", "ta",
            "tes", "su", "sus", "vuestro", "ihrem", "ihren", "ihr", "ihre", "ihrer", "seu", "sua",
            "vosso", "dich", "dein", "deinem", "deinen", "euren", "eurem", "algun", "alguna",
            "algum", "alguma", "actual", "other", "another", "en", "in", "on", "at", "du", "da",
            "do", "dos", "das", "unos", "unas", "ur", "yr", "pra", "pro", "pros", "pras",
        ],
    ),
    (
        Concepts::POSS1,
        &[
            "my", "our", "mi", "mis", "nuestro", "nuestra", "nuestros", "nuestras", "mon", "ma",
            "mes", "notre", "nos", "mein", "meine", "meinem", "meinen", "meiner", "unser",
            "unsere", "unseren", "unserem", "unserer", "meu", "minha", "meus", "minhas", "nosso",
            "nossa", "nossos", "nossas",
        ],
    ),
    (
        Concepts::AVAIL,
        &[
            "available", "availible", "avaliable", "online", "around", "on duty", "free",
            "disponible", "disponibles", "en linea", "en ligne", "verfugbar", "erreichbar", "frei",
            "disponivel", "disponiveis", "livre",
        ],
    ),
    (
        Concepts::AUX,
        &[
            "do", "does", "did", "have", "has", "had", "will", "would", "shall", "should", "be",
            "ai", "avons", "habe", "hab", "haben", "tengo", "tenho", "es", "est", "ist", "going",
            "gonna",
        ],
    ),
    (
        Concepts::BE_AUX,
        &[
            "am", "m", "are", "re", "is", "was", "were", "been", "estoy", "estas", "esta", "estou",
            "suis", "bin",
        ],
    ),
    (
        Concepts::QWORD,
        &[
            "how", "where", "what", "when", "como", "donde", "comment", "ou", "wie", "wo", "onde",
            "cuando", "quand", "wann", "quando", "why", "porque",
        ],
    ),
    (
        Concepts::PLEASE,
        &[
            "please", "pls", "plz", "plse", "pleeease", "pleeeease", "por favor", "porfa",
            "porfavor", "svp", "stp", "s il vous plait", "s il te plait", "bitte", "pf", "pfv",
            "por gentileza",
        ],
    ),
    (
        Concepts::COURTESY,
        &[
            "hi", "hello", "hey", "ok", "okay", "thanks", "thank", "now", "asap", "immediately",
            "urgently", "right", "away", "right now", "hola", "buenas", "ya", "ahora", "bonjour",
            "salut", "merci", "maintenant", "tout de suite", "hallo", "sofort", "jetzt", "danke",
            "ola", "oi", "agora", "obrigado", "obrigada", "again", "here", "there", "just",
            "quick", "quickly", "today", "yes", "urgent", "rn", "pronto", "urgente", "dringend", "only", "sil",
        ],
    ),
    (
        Concepts::INFO,
        &[
            "hours", "hour", "number", "phone number", "email", "e mail", "address", "schedule",
            "open", "opening", "times", "time", "horario", "horarios", "telefono", "numero",
            "correo", "horaires", "heures", "telephone", "adresse", "offnungszeiten", "zeiten",
            "telefonnummer", "nummer", "telefone", "endereco", "weekend", "weekends", "sunday",
            "sundays", "saturday", "holidays", "24 7",
        ],
    ),
    (Concepts::ME, &["me", "us", "mich", "mir", "moi", "uns"]),
    (
        Concepts::SPLIT,
        &[
            "but", "because", "however", "instead", "although", "though", "pero", "sino", "aunque",
            "mais", "car", "parce", "pourtant", "aber", "weil", "sondern", "denn", "doch",
            "obwohl", "mas", "pois", "embora", "otherwise", "sinon", "sonst",
        ],
    ),
    (
        Concepts::AFFIRM,
        &[
            "yes", "yeah", "yep", "yup", "yea", "sure", "ok", "okay", "of course", "please",
            "absolutely", "definitely", "go ahead", "do it", "y", "si", "claro", "vale", "dale",
            "oui", "ouais", "volontiers", "d accord", "ja", "gerne", "klar", "jawohl", "sim",
            "pode ser", "com certeza", "isso", "bitte", "please do", "alright", "k", "yess",
            "yesss", "perfect", "great", "perfecto", "parfait", "perfeito", "genau",
        ],
    ),
    (
        Concepts::BLOCK_NEXT,
        &[
            "account", "accounts", "number", "id", "code", "portal", "login", "version", "app",
            "software", "license", "licence", "licenses", "licences", "seat", "seats", "role",
            "roles", "permission", "permissions", "dashboard", "panel", "view", "mode", "settings",
            "access", "error", "errors", "resources", "resource", "rights", "nature", "body",
            "verification", "interface", "name", "names", "list", "fee", "fees", "commission",
            "training", "report", "reports", "tool", "tools", "status", "profile", "sample",
            "trafficking", "race", "history", "genome", "evolution", "behavior", "behaviour",
            "factor", "capital", "readable", "made", "centered", "centred", "based", "string",
            "orange", "smith", "performance", "metrics", "stats", "statistics", "productivity",
            "count", "limit", "activity", "console", "inbox", "workspace", "workspaces", "seat",
            "invite", "invites", "invitation", "feature", "features", "skills", "rights",
            "dignity", "cuenta", "error", "nummer",
        ],
    ),
    (
        Concepts::MOD_OK,
        &[
            "account", "store", "shift", "duty", "floor", "general", "office", "branch", "success",
            "care", "senior", "friendly", "nice", "competent", "qualified", "experienced",
            "knowledgeable", "different", "another", "other", "new", "english", "spanish",
            "french", "german", "portuguese", "same", "local", "dedicated", "regional", "customer",
            "service", "support", "sales", "billing", "technical", "tech", "help", "desk",
            "product", "escalation", "atencion", "servicio", "ventas", "cliente", "clientes",
            "atendimento", "vendas", "vente", "ventes", "clientele", "soporte", "suporte", "real",
            "actual", "live", "human", "trained", "first", "next", "available", "chat", "actual",
            "verdad", "verdade", "carne", "chair", "fleisch", "equipo", "equipe", "team",
            "l equipe", "servico", "technique",
        ],
    ),
    (
        Concepts::MOD_SENSITIVE,
        &[
            "agent", "agents", "agente", "agentes", "operator", "operators", "operador",
            "operadora", "operateur", "manager", "managers", "gerente", "agenten", "operadores",
            "director", "directora", "directeur", "directrice", "direktor", "direktorin",
            "diretor", "diretora",
        ],
    ),
    (
        Concepts::TOPIC,
        &[
            "about", "regarding", "concerning", "re", "sobre", "acerca", "uber", "ueber",
            "a propos", "concernant",
        ],
    ),
    (
        Concepts::NUMWORD,
        &[
            "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty",
            "fifty", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
            "dozen", "dozens", "several", "many", "multiple", "few", "all", "lot", "lots", "bunch",
            "plenty", "couple", "most", "dos", "tres",
            "cuatro", "cinco", "diez", "cien", "cientos", "mil", "varios", "varias", "muchos",
            "todos", "deux", "trois", "quatre", "cinq", "dix", "cent", "cents", "mille",
            "plusieurs", "tous", "zwei", "drei", "vier", "funf", "zehn", "hundert", "tausend",
            "mehrere", "viele", "alle", "dois", "duas", "quatro", "dez", "cem", "centenas",
            "muitos", "millones", "millions", "milhoes", "millionen",
        ],
    ),
    (
        Concepts::NEEDED,
        &[
            "needed", "necessary", "required", "necesario", "necesaria", "necessaire", "notig",
            "noetig", "erforderlich", "necessario", "necessaria",
        ],
    ),
    (
        Concepts::ADV,
        &[
            "really", "even", "actually", "necessarily", "just", "realmente", "vraiment",
            "wirklich", "unbedingt", "mesmo", "at all", "yet", "todavia", "encore", "noch",
            "ainda", "gerade", "nen", "ner",
        ],
    ),
    (
        Concepts::PRON,
        &[
            "me", "te", "lo", "la", "le", "se", "nos", "i", "ich", "je", "j", "eu", "yo", "you",
            "u", "vous", "tu", "sie", "du", "voce", "vc", "we", "wir", "nous", "it", "es", "das",
            "isso", "esto", "ca", "cela", "who", "que", "qui", "der", "they", "quien",
            "quem", "whom",
        ],
    ),
    (
        Concepts::HELPWORD,
        &[
            "help", "assistance", "ayuda", "aide", "hilfe", "unterstutzung", "ajuda",
            "assistencia", "atencion", "atendimento", "atendre",
        ],
    ),
    (
        Concepts::HELP_VERB,
        &[
            "help", "helps", "helping", "helped", "ayuda", "ayudas", "ayudan", "ayudando",
            "ayudado", "ayudaste", "ayudar", "aide", "aides", "aidez", "aident", "aider",
            "hilft", "hilfst", "helft", "helfen", "geholfen", "bringt", "bringst", "ajuda",
            "ajudando", "ajudou", "ajudam", "ajudaram", "ajudar",
            // what serves or moves the visitor on: "no me sirve", "ça ne m'avance pas", "não
            // adianta", "das nützt nichts", "isso não resolve"
            "sirve", "sirves", "sirven", "sert", "servent", "avance", "avancez", "adianta",
            "nutzt", "resolve", "resolvem", "resuelve", "resuelven",
        ],
    ),
    (
        Concepts::STILL,
        &[
            "still", "again", "same", "otra vez", "de nuevo", "sigue", "siguen", "todavia",
            "toujours", "encore", "immer noch", "schon wieder", "wieder", "ainda", "de novo",
            "continua", "outra vez", "mismo", "meme", "dasselbe", "gleiche", "gleicher", "mesmo",
            "mesma",
        ],
    ),
    (
        Concepts::FRUST_STRONG,
        &[
            // en
            "useless", "ridiculous", "pathetic", "keep telling you", "keep saying",
            "keep reporting", "keep calling", "keep writing", "keep emailing", "keep contacting",
            "you just said", "you already said", "ya me dijiste", "ya lo dijiste",
            "hast du schon gesagt", "haben sie schon gesagt", "deja dit ca", "l avez deja dit",
            "l as deja dit", "voce ja disse", "ja disse isso",
            "keep asking", "keep explaining", "sigo diciendo", "te sigo diciendo",
            "n arrete pas de", "immer wieder gesagt", "continuo dizendo", "i m done", "i am done", "so done", "are you serious", "wasted", "wasting my time",
            "perdi mi tiempo", "perdu mon temps", "verschwendet", "perdi meu tempo",
            "driving me crazy", "drives me crazy", "driving me nuts", "me vuelve loco",
            "me vuelve loca", "me rend fou", "me rend folle", "macht mich wahnsinnig",
            "deixando louco", "deixando louca", "tercera vez", "troisieme fois", "dritten mal",
            "terceira vez", "nadie me ayuda", "nobody helps", "no one helps", "nobody cares",
            "no one cares", "personne ne m aide", "niemand hilft", "ninguem me ajuda",
            "nobody called back", "no one called back", "nobody called me back",
            "no one called me back", "never called back", "never called me back",
            "tomadura de pelo", "toman el pelo", "already gave you", "i already gave", "going in circles", "round in circles",
            "going around in circles", "dando vueltas", "tourner en rond", "im kreis",
            "em circulos", "nobody ever", "no one ever", "thanks for nothing", "gracias por nada",
            // sarcasm: "Let me guess: I need to clear my cache", "do your job"
            "let me guess", "lass mich raten", "laissez moi deviner", "laisse moi deviner",
            "dejame adivinar", "deja que adivine", "deixa eu adivinhar", "deixe me adivinhar",
            "do your job", "doing your job", "do their job", "ihren job machen",
            "ihre arbeit machen", "euren job machen", "faire votre travail",
            "faites votre travail", "faire votre boulot", "faites votre boulot",
            "hacer su trabajo", "hagan su trabajo", "haced vuestro trabajo",
            "fazer o seu trabalho", "facam o seu trabalho", "fazer seu trabalho",
            "facam seu trabalho",
            "merci pour rien", "danke fur nichts", "obrigado por nada", "bad service",
            "poor service", "terrible service", "mal servicio", "mauvais service",
            "schlechter service", "mau atendimento", "pessimo atendimento", "moquez de moi",
            "moques de moi", "te burlas", "se burlan", "verarschen", "brincadeira",
            "ein witz", "es una broma", "una broma", "uma piada", "third email", "third message",
            "third call", "3rd time", "second time", "once again", "yet again", "nobody answers", "nobody replies", "nobody responds",
            "no one answers", "no one replies", "no one responds", "nobody is answering",
            "no one is answering", "nobody gets back", "nadie responde", "nadie contesta",
            "nadie me responde", "nadie me contesta", "personne ne repond", "personne ne me repond",
            "niemand antwortet", "niemand meldet sich", "ninguem responde", "ninguem atende",
            "ninguem me responde", "worst", "terrible", "horrible", "awful",
            "unacceptable", "incompetent", "garbage", "trash", "rubbish", "stupid", "idiot",
            "idiots", "idiotic", "dumb", "sucks", "wtf", "rip off", "ripoff", "fed up",
            "sick of", "sick and tired", "tired of", "waste of time", "waste of my time",
            "had enough", "enough is enough", "not helpful", "not helping", "no help",
            "doesn t help", "does not help", "didn t help", "isn t helping",
            "you don t understand", "you do not understand", "not listening", "how many times",
            "third time", "fourth time", "fifth time", "again and again", "i already told you",
            "already told you", "i already said", "are you kidding", "kidding me", "a joke",
            "taking the mick", "taking the piss", "appalling", "end of my tether",
            "end of my rope", "patience has run out", "beyond a joke", "shambles", "urgent help",
            "need help asap", "help asap", "need help urgently", "give up", "giving up on", "i gave up on", "what s the point of you",
            "whats the point of you", "what is the point of you", "what s the point of this chat",
            "whats the point of this chat", "losing my patience", "lost my patience", "out of patience", "shame on you",
            "disgusting", "disgrace", "disgraceful", "outrageous", "infuriating", "furious",
            "livid", "pissed", "hate this", "hate you", "never again", "plus jamais", "nie wieder",
            "nunca mas", "nunca mais", "cheers for nothing", "zum teufel", "que cono", "que carajo",
            "que diablos", "ce bordel", "que porra", "sinverguenza", "sinverguenzas", "pointless",
            "nonsense",
            "bullshit", "what the hell", "for god s sake", "for fuck s sake", "for fucks sake", "ffs", "fix it", "so frustrating",
            "so annoying", "is this a joke", "hopeless", "clueless", "are you even", "you people",
            "a nightmare", "nightmare", "fix this now", "not acceptable", "unbelievable", "absurd",
            "don t know what else to do", "you keep repeating", "tired of waiting",
            "cansado de esperar", "cansada de esperar", "me canse de esperar", "marre d attendre",
            "fatigue d attendre", "cansei de esperar", "keine lust mehr zu warten", "repeating yourself",
            "repeating the same", "same thing over", "ya no se que hacer", "no se que mas hacer",
            "repites lo mismo", "repiten lo mismo", "ne sais plus quoi faire",
            "repetez la meme chose", "repetes la meme chose", "weiss nicht mehr weiter",
            "wiederholen sich", "wiederholst dich", "nao sei mais o que fazer",
            "repete a mesma coisa", "repetindo a mesma", "falta de respeito", "falta de respeto",
            "manque de respect", "respektlos", "disrespectful", "no respect",
            // es
            "inutil", "inutiles", "ridiculo", "ridicula", "pesimo", "pesima", "una mierda",
            "no sirve", "no sirves", "no sirven", "perdida de tiempo", "harto", "harta", "hartos",
            "es una verguenza", "una verguenza", "verguenza", "inaceptable", "estupido",
            "estupida", "idiota", "inepto", "ineptos", "incompetente", "basura", "no me entiendes",
            "cuantas veces", "ya te dije", "el colmo", "indignante", "furioso",
            "furiosa", "peor servicio", "el peor", "peor empresa", "que mierda", "tomando el pelo",
            "un absurdo", "que desastre", "un desastre", "menudo desastre", "vaya desastre", "es de chiste", "hasta la coronilla", "porqueria", "ya no aguanto", "no aguanto mas",
            "ayuda urgente", "me rindo", "me doy por vencido", "me doy por vencida",
            "para que sirves", "nadie me llamo", "nadie llamo", "nadie me devolvio la llamada",
            // fr
            "inutile", "inutiles", "sert a rien", "sert a rien du tout", "ridicule", "nul", "nulle", "nuls", "nulles", "n importe quoi", "j en ai marre",
            "en ai marre", "marre", "ras le bol", "inadmissible", "inacceptable", "scandaleux",
            "scandaleuse", "honteux", "honte", "perte de temps", "debile", "stupide",
            "incompetent", "incompetents", "vous ne comprenez pas", "tu ne comprends pas",
            "combien de fois", "deja dit", "lamentable", "insupportable", "une blague",
            "furieux", "furieuse", "exaspere", "exasperee", "pire", "de merde", "moque de moi",
            "personne n a rappele", "personne ne m a rappele", "je suis a bout", "a bout de nerfs",
            "ca commence a bien faire", "quel desastre", "atteint le fond", "aidez moi vite", "aide urgente",
            "j abandonne", "a quoi tu sers",
            "a quoi vous servez",
            // de
            "nutzlos", "sinnlos", "bringt nichts", "bringt gar nichts", "bringt doch nichts",
            "lacherlich", "laecherlich", "frechheit", "unverschamt",
            "unverschaemt", "inakzeptabel", "zeitverschwendung", "dumm", "blod", "bloed",
            "dammlich", "idioten", "inkompetent", "katastrophe", "katastrophal", "es reicht",
            "mir reicht s", "die nase voll", "wie oft noch", "zum dritten mal",
            "sie verstehen mich nicht", "du verstehst mich nicht", "wutend", "wuetend",
            "schlechteste", "schlechtester", "schlechtesten", "schlechtestes", "unmoglich",
            "unzumutbar", "saftladen", "drecksladen", "scheissladen", "stinksauer",
            "niemand hat zuruckgerufen", "keiner hat zuruckgerufen", "geduld ist am ende",
            "reicht s mir", "langsam reicht s", "unterirdisch", "geht s noch", "schwein pfeift",
            "zum verzweifeln", "brauche sofort hilfe", "dringend hilfe", "ich geb auf",
            "ich gebe auf", "ich geb s auf", "ich gebe es auf", "bringt doch alles nichts",
            "bringt alles nichts", "bringt hier nichts",
            // pt
            "pessimo", "pessima", "nao adianta", "nao adianta nada", "nao serve para nada",
            "horrivel", "perda de tempo", "cansado disso", "cansada disso",
            "farto", "farta", "absurda", "uma vergonha", "vergonha", "palhacada", "estupida",
            "burro", "lixo", "nao serve", "voce nao entende", "quantas vezes", "ja falei",
            "ja disse", "inaceitavel", "que saco", "revoltado", "revoltada", "pior atendimento",
            "pior servico", "pior empresa", "que merda", "um absurdo", "ninguem ligou",
            "ninguem me ligou", "ninguem retornou", "porcaria", "saco cheio", "nao aguento mais",
            "que absurdo", "que desastre", "que piada", "ajuda urgente", "desisto", "eu desisto", "cansei",
        ],
    ),
    (
        Concepts::FRUST_MED,
        &[
            // en
            "annoying", "annoyed", "again", "so hard", "too hard", "still nothing", "still no",
            "several times", "multiple times", "many times", "llevo esperando", "hora esperando",
            "horas esperando", "attends depuis", "warte seit", "warte schon", "esperando ha",
            "estou esperando", "no tiene sentido", "n a aucun sens", "ergibt keinen sinn",
            "nao faz sentido", "no sense", "twice", "times now", "explained this", "i ve explained",
            "already explained", "every single time", "goes wrong", "otra vez", "de nuevo",
            "encore une fois", "de novo", "outra vez", "increible", "unglaublich", "incroyable",
            "inacreditavel", "dos veces", "deux fois", "zweimal",
            "duas vezes", "i swear", "i m cancelling", "i ll cancel", "i will cancel",
            "going to cancel", "segunda vez", "frustrated", "frustrating", "angry", "upset", "disappointed",
            "disappointing", "not happy", "unhappy", "bad", "seriously", "come on", "ugh", "argh",
            "grr", "nobody", "no one", "no answer", "no response", "wrong", "not what i asked",
            "doesn t make sense", "makes no sense", "you keep", "same answer", "over and over",
            "already asked", "i already asked", "been waiting", "waiting for ages", "ages",
            "enough", "hate", "ridiculously", "seriously", "crazy", "insane", "impossible", "joke",
            "omg", "jeez", "sigh", "exhausted", "tired", "patience", "not what i",
            // es
            "molesto", "molesta", "enojado", "enojada", "enfadado", "enfadada", "frustrado",
            "frustrada", "decepcionado", "decepcionada", "sigue sin", "nadie", "nadie responde",
            "ya pregunte", "te lo pregunte", "sin respuesta", "cansado", "cansada", "mal",
            // fr
            "enerve", "enervee", "agace", "agacee", "frustre", "frustree", "decu", "decue",
            "toujours pas", "personne ne", "deja demande", "fache", "fachee", "pas content",
            "pas contente", "sans reponse", "trois fois",
            // de
            "genervt", "verargert", "frustriert", "enttauscht", "enttaeuscht", "sauer", "niemand",
            "keiner antwortet", "keine antwort", "schon wieder", "immer noch nicht",
            // pt
            "irritado", "irritada", "chateado", "chateada", "decepcionada", "ainda nao", "ninguem",
            "ja perguntei", "sem resposta", "cansado", "tres vezes", "continua sem",
        ],
    ),
    (
        Concepts::FRUST_PROFANE,
        &[
            "damn", "damned", "goddamn", "goddamned", "bloody", "hell", "crap", "crappy", "shit",
            "shitty", "fuck", "fucking", "fucked", "fuckin", "cking", "fck", "fcking", "freaking",
            "frigging", "bs", "mierda", "joder", "carajo", "puta", "puto", "cono", "maldito",
            "maldita", "merde", "putain", "bordel", "chier", "scheisse", "scheiss", "mist",
            "verdammt", "verdammte", "kacke", "porra", "merda", "droga", "caralho", "bosta",
        ],
    ),
    (
        Concepts::INTENS,
        &[
            "so", "very", "really", "extremely", "super", "totally", "completely", "absolutely",
            "beyond", "utterly",
            "truly", "incredibly", "muy", "tan", "totalmente", "completamente", "tres", "vraiment",
            "completement", "totalement", "sehr", "total", "vollig", "voellig", "echt", "muito",
            "tao", "completamente", "bem",
        ],
    ),
    (
        Concepts::FAIL,
        &[
            // en
            "already tried", "i tried", "tried that", "tried this", "tried everything",
            "tried all", "tried restarting", "tried reinstalling", "tried clearing", "didn t work",
            "did not work", "doesn t work", "does not work", "not working", "still crashes",
            "still fails", "still failing", "still the same", "same error", "same problem",
            "same issue", "no luck", "nothing works", "nothing worked", "nothing changed",
            "no change", "didn t fix", "did not fix", "already did", "did that", "done that",
            "did it", "already checked", "already restarted", "already reinstalled",
            "still broken", "still getting", "keeps failing", "keeps crashing", "still empty",
            "still doesn t", "still not", "nothing you suggested", "none of that", "tried both",
            "checked both", "still happens", "already done", "didn t change", "i did", "followed the steps", "followed your guide",
            "followed the guide", "followed the instructions", "followed your instructions",
            "step by step", "still get", "still see", "segui los pasos", "segui todos los pasos",
            "suivi la procedure", "suivi les etapes", "suivi les instructions",
            "alle schritte", "anleitung befolgt", "segui os passos", "segui o tutorial",
            "segui todos os passos",
            "still crashing",
            // es
            "ya lo intente", "ya intente", "ya probe", "ya lo hice", "ya lo probe", "no funciono",
            "sigue igual", "sigue fallando", "sigue sin funcionar", "mismo error", "nada funciona",
            "ya revise", "ya hice",
            // fr
            "deja essaye", "j ai essaye", "deja fait", "pas marche", "n a pas marche",
            "n a pas fonctionne", "marche toujours pas", "fonctionne toujours pas", "meme erreur",
            "rien ne marche", "rien ne fonctionne", "deja verifie", "plante toujours",
            "toujours la meme",
            // de
            "schon versucht", "bereits versucht", "habe ich schon", "schon gemacht",
            "hat nicht funktioniert", "hat nicht geholfen", "funktioniert immer noch nicht",
            "derselbe fehler", "gleiche fehler", "gleicher fehler", "nichts funktioniert",
            "schon gepruft", "bereits gepruft", "immer noch leer", "sturzt immer noch",
            // pt
            "ja tentei", "ja fiz", "ja testei", "nao funcionou", "continua dando",
            "continua travando", "mesmo erro", "nada funciona", "ainda nao funciona",
            "ja verifiquei", "nao deu certo", "continua com",
        ],
    ),
    (
        Concepts::TECH,
        &[
            "api", "apis", "sdk", "webhook", "webhooks", "endpoint", "endpoints", "sso", "saml",
            "oauth", "oidc", "ldap", "dns", "cname", "ssl", "tls", "certificate", "certificado",
            "certificat", "zertifikat", "cert", "firewall", "proxy", "vpn", "server", "servidor",
            "serveur", "database", "db", "sql", "postgres", "mysql", "query", "timeout",
            "timeouts", "latency", "kernel", "driver", "drivers", "firmware", "config",
            "configuration", "configuracion", "configuracao", "integration", "integracion",
            "integracao", "integrations", "plugin", "plugins", "script", "json", "xml", "yaml",
            "sync", "synchronization", "sincronizacao", "sincronizacion", "synchronisation",
            "synchronisierung", "sincronizar", "synchroniser", "deploy", "deployment", "docker",
            "kubernetes", "port", "ip", "ssh", "ftp", "smtp", "imap", "dkim", "spf", "dmarc",
            "http", "https", "cors", "token", "tokens", "migration", "backend", "frontend",
            "javascript", "python", "java", "php", "npm", "encoding", "utf", "iframe", "embed",
            "redirect", "url", "callback", "payload", "header", "headers", "schema", "cluster",
            "container", "relay", "tunnel", "azure", "okta", "auth0", "active directory",
            "mx", "tcp", "udp", "websocket", "websockets", "regex", "cron", "s3", "aws", "gcp",
            "sandbox", "staging", "production", "2fa", "mfa", "totp", "jwt", "ssh", "hmac",
            "sha256", "ubuntu", "debian", "wordpress", "shopify", "magento", "crm",
        ],
    ),
    (
        Concepts::TECH_WEAK,
        &[
            "csv", "log", "logs", "console", "cache", "cookie", "cookies", "installer",
            "installation", "instalar", "installieren", "linux", "windows", "macos", "android",
            "ios", "router", "wifi", "wi fi", "wlan", "hotspot", "bluetooth", "usb", "cpu", "ram", "widget", "domain",
            "dominio", "domaine", "import", "export", "upload", "firmware update", "update",
            "installing", "install", "exporter", "importar", "exportar", "instalacion", "startup",
            "demarrage", "iniciar", "start", "app", "application", "aplicacion", "aplicativo",
            "browser", "navegador", "navigateur", "chrome", "safari", "firefox", "login",
            "password", "vpn verbindung", "script", "email", "emails", "mails", "spam", "printer",
            "settings", "version", "reinstall", "reinstalled", "database", "signature", "secret",
            "desktop", "load",
        ],
    ),
    (
        Concepts::PROBLEM,
        &[
            "error", "errors", "fails", "failed", "failing", "failure", "fail", "crash", "crashes",
            "loops", "loop", "redirect loop", "oomkilled", "out of memory", "memory leak",
            "deadlock", "stuck at", "mismatch", "intermittent", "segfault", "sigsegv",
            "blue screen", "bsod", "kernel panic", "unprocessable", "infinite loop", "forever", "keeps loading",
            "spinning", "stops", "stopped working", "refuses", "connection refused",
            "closes by itself", "keeps closing", "se cierra solo", "se cierra sola",
            "ferme tout seul", "fechando sozinho", "fecha sozinho", "schliesst sich",
            "invalide", "invalido", "invalida", "ungultig", "ungueltig", "schlagt fehl",
            "schlaegt fehl", "devuelve", "devolviendo", "renvoie", "liefert", "retorna", "throws",
            "crashed", "crashing", "broken", "bug", "bugs", "not working", "doesn t work",
            "timeout", "times out", "timing out", "refused", "denied", "invalid", "corrupted",
            "corrupt", "hangs", "freezes", "frozen", "stuck", "exception", "rejects", "rejected",
            "drops", "can t connect", "cannot connect", "won t load", "doesn t load", "stopped",
            "falla", "fallo", "fallando", "no funciona", "se cae", "se bloquea", "se congela",
            "se cierra", "rechaza", "erreur", "erreurs", "plante", "plantage", "panne", "echoue",
            "echec", "ne fonctionne pas", "ne marche pas", "bloque", "expire", "fehler", "absturz",
            "sturzt ab", "sturzt", "abgesturzt", "funktioniert nicht", "hangt", "fehlgeschlagen",
            "bricht", "abbruch", "erro", "erros", "falha", "falhou", "trava", "travou", "travando",
            "nao funciona", "caiu", "da erro", "pending", "en attente",
        ],
    ),
    (
        Concepts::ERRWORD,
        &[
            "error", "code", "codigo", "status", "http", "errno", "fehler", "fehlercode", "erreur",
            "erro", "exit", "sqlstate", "err", "statuscode",
        ],
    ),
    (
        Concepts::SALES_STRONG,
        &[
            // en
            "enterprise", "enterprise plan", "enterprise tier", "enterprise pricing",
            "enterprise license", "enterprise edition", "volume discount", "volume discounts",
            "volume pricing", "volume licensing", "bulk order", "bulk pricing", "bulk prices",
            "bulk purchase", "bulk discount", "wholesale", "reseller", "resell", "partnership",
            "procurement", "rfp", "rfq", "purchase order", "custom plan", "custom pricing",
            "custom quote", "company wide", "companywide", "organization wide", "rollout",
            "roll out", "roll this out", "dedicated sla", "on premise", "on prem", "white label",
            "whitelabel", "white labeling", "white labelling",
            "book a demo", "schedule a demo", "request a demo", "see a demo", "arrange a demo",
            "set up a demo", "get a demo", "product demo", "demo for", "get a quote",
            "request a quote", "send a quote", "send us a quote", "need a quote", "formal quote",
            "price quote", "quote for", "quotation", "annual contract", "yearly contract",
            "multi year", "year contract", "sign a contract", "sign an annual contract",
            "master agreement", "budget approved", "our budget", "budget of", "pricing for teams",
            "whole company", "whole team", "entire company", "entire team", "site license",
            "campus licensing", "campus license", "evaluating vendors", "vendor evaluation",
            // es
            "plan empresarial", "plan empresa", "plan corporativo", "cotizacion", "cotizar",
            "descuento por volumen", "descuentos por volumen", "al por mayor", "mayorista",
            "distribuidor", "revendedor", "contrato anual", "demostracion", "demonstracao", "toda la empresa",
            "para nuestra empresa", "precio por volumen", "orden de compra", "presupuesto de",
            // fr
            "devis", "offre entreprise", "formule entreprise", "plan entreprise",
            "tarif degressif", "remise sur volume", "prix de gros", "grossiste", "revendeur",
            "partenariat", "contrat annuel", "demonstration", "toute l entreprise",
            "pour notre entreprise", "bon de commande", "appel d offres", "budget de",
            "planifier une demo",
            // de
            "unternehmenslizenz", "enterprise plan", "mengenrabatt", "grossbestellung",
            "grosshandel", "wiederverkaufer", "partnerschaft", "jahresvertrag", "demo vereinbaren",
            "vorfuhrung", "produktdemo", "fur unser unternehmen", "ganze unternehmen",
            "rahmenvertrag", "ausschreibung", "budget von", "ein angebot", "angebot schicken",
            "angebot erstellen",
            // pt
            "plano empresarial", "plano corporativo", "desconto por volume", "atacado", "parceria",
            "toda a empresa", "para nossa empresa", "ordem de compra", "cotacao", "orcamento de",
        ],
    ),
    (
        Concepts::SALES_MED,
        &[
            "pricing", "price", "prices", "cost", "costs", "licenses", "licences", "license",
            "sla", "trial", "pilot", "proof of concept", "poc", "for everyone", "for all of us",
            "para todos", "pour tous", "fur alle", "call centers", "call center", "contact center",
            "licensing", "seats", "per seat", "per user", "per agent", "per license",
            "annual plan", "yearly plan", "discount", "discounts", "upgrade our", "business plan",
            "team plan", "how much", "volume", "bulk", "precio", "precios", "costo", "coste",
            "cuesta", "cuestan", "licencia", "licencias", "descuento", "descuentos", "prix",
            "tarif", "tarifs", "licence", "licences", "remise", "coutent", "coute", "preis",
            "preise", "kosten", "kostet", "lizenz", "lizenzen", "rabatt", "preco", "precos",
            "custo", "custam", "licenca", "licencas", "desconto", "descontos", "implementarlo",
            "deployer", "einfuhren", "implementar", "roll", "onboarding", "evaluating",
        ],
    ),
    (
        Concepts::SALES_MED.union(Concepts::SALES_AMBIG),
        &[
            "quote", "quotes", "contract", "budget", "demo", "contrato", "presupuesto", "contrat",
            "budget", "vertrag", "angebot", "orcamento", "demo", "demos",
        ],
    ),
    (
        Concepts::SALES_UNIT,
        &[
            "seats", "licenses", "licences", "users", "employees", "staff", "people", "agents",
            "person", "seat", "user", "employee", "agent", "member", "location", "store",
            "clients", "customers", "clientes", "kunden", "centers", "centres", "leute",
            "locations", "stores", "shops", "branches", "offices", "hotels", "properties",
            "schools", "clinics", "restaurants", "members", "team members", "units", "sites",
            "departments", "teams", "franchises", "students", "devices", "chats", "conversations",
            "employes", "empleados", "usuarios", "licencias", "puestos", "tiendas", "sucursales",
            "oficinas", "agentes", "personas", "trabajadores", "colaboradores", "sedes",
            "unidades", "hoteles", "salaries", "utilisateurs", "postes", "magasins", "boutiques",
            "agences", "personnes", "collaborateurs", "unites", "mitarbeiter", "mitarbeitende",
            "nutzer", "benutzer", "lizenzen", "arbeitsplatze", "filialen", "standorte",
            "geschafte", "personen", "einheiten", "funcionarios", "licencas", "lojas", "filiais",
            "escritorios", "pessoas", "agencias", "alunos", "estudiantes", "etudiants",
            "studenten", "volunteers",
        ],
    ),
    (
        Concepts::BUYER,
        &[
            "we", "our", "us", "ours", "company", "team", "organization", "organisation",
            "business", "firm", "agency", "corporation", "nosotros", "nuestra", "nuestro",
            "nuestros", "empresa", "equipo", "compania", "negocio", "organizacion", "nous",
            "notre", "nos", "entreprise", "equipe", "societe", "wir", "unser", "unsere", "unseren",
            "uns", "unternehmen", "firma", "nossa", "nosso", "nossos", "companhia", "organizacao",
            "somos", "sommes", "sind", "queremos", "voulons", "wollen", "chain", "cadena",
            "reseau", "kette", "rede", "group", "university", "universidad", "universite",
            "universitat", "universidade", "cto", "ceo", "cfo",
        ],
    ),
    (
        Concepts::SALES_NEG,
        &[
            "cancel", "cancelling", "canceling", "terminate", "terminating", "ends", "ending",
            "break", "breach", "article", "book", "news", "famous", "carrier", "landlord", "lease",
            "rental", "employment", "employer", "lawyer", "gym", "tight", "on a budget",
            "low budget", "cheap", "cheapest", "movie", "song", "quote from", "quote of",
            "citation", "mode", "demo mode", "demo version", "video", "cancelar", "rescindir",
            "vence", "articulo", "libro", "noticia", "telefonica", "arrendador", "alquiler",
            "annuler", "resilier", "resiliation", "livre", "bail", "telephonique", "termine",
            "kundigen", "kuendigen", "kundigung", "stornieren", "artikel", "buch", "handyvertrag",
            "mietvertrag", "arbeitsvertrag", "vermieter", "lauft", "artigo", "livro", "aluguel",
            "celular", "termina", "phone", "mobile", "webinar", "left", "crashed", "won t play",
            "homepage",
        ],
    ),
    (
        Concepts::STEP,
        &[
            "try", "restart", "reboot", "clear", "reinstall", "update", "check", "make sure",
            "go to", "click", "tap", "select", "open", "step", "steps", "log out", "refresh",
            "reset", "verify", "ensure", "disable", "enable", "resetting", "updating",
            "restarting", "reinstalling", "clearing", "prueba", "pruebe", "intenta", "intente",
            "reinicia", "reinicie", "reinstalar", "borra", "borre", "limpia", "actualiza",
            "verifica", "comprueba", "revisa", "asegurate", "haz clic", "essayez", "essaie",
            "redemarrez", "redemarrer", "videz", "vider", "verifiez", "mettez a jour", "cliquez",
            "assurez vous", "reinstallez", "versuchen", "versuche", "starten", "neu starten",
            "loschen", "leeren", "prufen", "uberprufen", "aktualisieren", "klicken",
            "stellen sie sicher", "tente", "limpe", "atualize", "atualizar", "verifique", "clique",
            "confira", "reinstale", "reiniciar",
        ],
    ),
    (
        Concepts::BOTFAIL,
        &[
            "i don t know", "i do not know", "i m not sure", "i am not sure", "i couldn t find",
            "i could not find", "i don t have information", "i don t have that information",
            "don t have information", "no information", "i didn t understand",
            "i did not understand", "could you rephrase", "can you rephrase", "i m sorry",
            "i am sorry", "unable to help", "can t help", "no se", "no tengo informacion",
            "no entendi", "lo siento", "je ne sais pas", "desole", "pouvez vous reformuler",
            "ich weiss nicht", "keine informationen", "tut mir leid", "nao sei", "desculpe",
            "nao entendi", "nao tenho informacao",
        ],
    ),
    (
        Concepts::OFFER,
        &[
            "would you like", "do you want", "shall i", "should i", "want me to", "can i connect",
            "may i connect", "can i transfer", "i can connect you", "i can transfer you",
            "i can put you", "would you prefer", "quieres que", "quiere que", "desea que",
            "desea hablar", "le gustaria", "te gustaria", "prefieres", "voulez vous",
            "souhaitez vous", "veux tu", "aimeriez vous", "je peux vous", "mochten sie",
            "moechten sie", "soll ich", "willst du", "wollen sie", "kann ich sie", "gostaria de",
            "quer que", "deseja", "voce quer", "posso transferir", "posso te", "posso passar",
        ],
    ),
    (
        Concepts::GIVE_UP,
        &[
            "forget it", "whatever", "forget about it", "vergiss es", "vergessen sie s",
            "vergessen sie es", "egal", "schon gut", "laisse tomber", "tant pis", "laissez tomber",
            "olvidalo", "dejalo", "da igual", "dejalo asi", "esquece", "esqueca", "deixa pra la",
            "deixa para la", "tanto faz",
        ],
    ),
    (
        Concepts::RETRACT,
        &[
            "never mind", "nevermind", "forget it", "no thanks", "no thank you", "it s fine",
            "all good", "solved", "no gracias", "olvidalo", "non merci", "laisse tomber",
            "nein danke", "vergiss es", "nao obrigado", "nao obrigada", "deixa pra la",
        ],
    ),
    (
        Concepts::PASSIVE,
        &[
            "connected", "transferred", "transfered", "escalated", "forwarded", "redirected",
            "transferido", "transferida", "conectado", "conectada", "comunicado", "comunicada",
            "pasado", "pasada", "passado", "passada", "derivado", "derivada", "encaminhado",
            "encaminhada", "mis", "mise", "transfere", "connecte", "connectee", "verbunden",
            "weitergeleitet", "durchgestellt", "vermittelt", "contacted", "contactado",
            "contactada", "contacte", "contactee", "kontaktiert", "contatado", "contatada",
            "called", "llamado", "llamada", "appele", "appelee", "angerufen", "ligado",
        ],
    ),
    (
        Concepts::CALLBACK,
        &[
            "callback", "call back", "call me back", "ring me back", "phone me back",
            "get back to me", "rappeler", "rappelez moi", "rappelle moi", "rappel", "rappele",
            "rappelle", "rappellent", "rappelles",
            "rappelee", "called back",
            "devolver la llamada", "me llamen", "llamenme", "llameme", "me devuelvan la llamada",
            "me llame",
            "zuruckrufen", "zurueckrufen", "ruckruf", "rueckruf", "ruft mich", "me liguem",
            "me ligue", "ligar de volta", "retornar a ligacao", "retorno",
            // a request to be phoned: "rufen Sie mich an", "¿me pueden llamar?", "me liga"
            "rufen sie mich an", "ruf mich an", "mich anrufen", "mich zuruck", "mich bitte zuruck",
            "me pueden llamar", "me puedes llamar", "me podrian llamar", "me llamas", "me ligar",
            "me liga", "me telefonar", "ligar me", "ligue me", "liguem me", "telefonar me",
            "contactar me", "zuruckruft", "zurueckruft", "give me a ring",
            "give me a call", "give me a buzz",
        ],
    ),
    (
        Concepts::HAVE,
        &[
            "have", "avoir", "tener", "haben", "ter", "get", "obtenir", "conseguir", "bekommen",
            "obter",
        ],
    ),
    (
        Concepts::ALREADY,
        &["already", "ya", "deja", "schon", "bereits", "ja"],
    ),
    (
        Concepts::POSITIVE,
        &[
            "thanks", "thank", "great", "awesome", "love", "loved", "perfect", "helpful", "happy",
            "cool", "excellent", "amazing", "wonderful", "nice", "appreciate", "lol", "haha",
            "gracias", "genial", "perfecto", "excelente", "encanta", "merci", "parfait", "super",
            "danke", "toll", "perfekt", "prima", "obrigado", "obrigada", "otimo", "perfeito",
            "adorei", "fantastic", "brilliant", "glad",
        ],
    ),
    (
        Concepts::PRAISE,
        &[
            "lovely", "splendid", "great", "brilliant", "fantastic", "wonderful", "marvellous",
            "marvelous", "perfect", "super", "superb", "charming", "fabulous", "terrific",
            "amazing", "bravo", "genial", "estupendo", "precioso", "maravilloso", "fantastico",
            "perfecto", "joli", "charmant", "formidable", "parfait", "magnifique", "reizend",
            "toll", "klasse", "prima", "wunderbar", "herrlich", "grossartig", "otimo", "lindo",
            "beleza", "maravilha", "perfeito", "show",
        ],
    ),
    (
        Concepts::ORDINAL,
        &[
            "third", "fourth", "fifth", "sixth", "seventh", "tenth", "tercera", "tercer",
            "tercero", "cuarta", "quinta", "quinto", "sexto", "troisieme", "quatrieme",
            "cinquieme", "sixieme", "dritte", "dritten", "drittes", "dritter", "vierte", "vierten",
            "viertes", "funfte", "funften", "sechste", "terceira", "terceiro",
        ],
    ),
    (
        Concepts::BLOCKED.union(Concepts::IN_PERSON),
        &[
            "in person", "en persona", "en personne", "em pessoa", "pessoalmente", "personlich",
            "persoenlich", "face to face", "cara a cara", "en face a face", "presencial",
            "presencialmente",
        ],
    ),
    (
        Concepts::BLOCKED,
        &[
            // en: other senses of person words
            "human resources", "human error", "human rights", "human nature", "human body",
            "human race", "user agent", "in person", "per person", "first person", "third person",
            "missing person", "real estate agent", "estate agent", "travel agent", "gate agent",
            "insurance agent", "booking agent", "ticket agent", "customs agent", "border agent",
            "secret agent", "special agent", "double agent", "free agent", "ai agent", "ai agents",
            "password manager", "file manager", "task manager", "package manager",
            "download manager", "tour operator", "network operator", "mobile operator",
            "machine operator", "human readable", "delivery person", "per head",
            // es
            "por persona", "en persona", "cada persona", "recursos humanos", "error humano",
            "derechos humanos", "cuerpo humano", "agente de viajes", "agentes de viajes",
            "agente de viaje", "agente inmobiliario", "agente de seguros", "agente secreto",
            "agente de aduanas", "agente de aduana", "agente de policia", "agente de transito",
            "agente de bolsa", "agente de la aduana",
            // fr
            "ressources humaines", "erreur humaine", "droits humains", "droits de l homme",
            "en personne", "par personne", "corps humain", "agent de voyage", "agents de voyage",
            "agent immobilier", "agent d assurance", "agent secret", "agent de securite",
            "agent de police", "operateur telephonique", "personne ne",
            // de
            "menschliches versagen", "menschlicher fehler", "pro person", "pro kopf",
            "versicherungsvertreter",
            // pt
            "recursos humanos", "erro humano", "direitos humanos", "por pessoa", "em pessoa",
            "corpo humano", "agente de viagens", "agente de viagem", "agente imobiliario",
            "agente de seguros", "operadora de celular",
        ],
    ),
];

/// Real words one edit away from a key word, which must never be read as a typo of it.
#[rustfmt::skip]
const PROTECTED: &[&str] = &[
    "humane", "argent", "contract", "walking", "balking", "stalking", "sneaking", "charting",
    "contracting", "breaking", "tacking", "tasking", "tall", "task", "tank", "walk", "balk", "talc", "tack",
    "stalk", "tale", "chap", "char", "chart", "cheat", "coat", "chit", "chad", "chai", "chant",
    "chats", "chalk", "teak", "parson", "persona", "personal", "manger", "gente", "steak",
    "sneak", "spear", "speck", "speaks", "talks", "tall", "walk", "task", "chart", "cheat", "hat",
    "that", "what", "humor", "hymn", "urgent", "agenda", "agence", "agency", "agences", "agencia",
    "agencias", "agents", "persons", "operate", "operated", "representation", "represent",
    "connects", "contacts", "someones", "anyones", "hablan", "hablas", "parles", "parlez",
    "parlent", "operation", "managed", "manage", "manages", "advise", "advisory", "consultants",
    "jemals", "menschlich", "menschheit", "mitarbeit", "berate", "beraten", "beratung", "pessoal",
    "atendeu", "atende", "atendimento", "assistance", "assistants", "assisting", "human", "humano",
    "humans", "gerente", "agentur", "alguns", "algum", "alguma", "pessoas", "personas", "person",
    "agente", "regent", "reagent", "ardent", "absent", "talon", "taking", "speech", "operators",
    "transform", "transfers", "connector", "converter", "pleased", "escalated", "lease",
    "sprachen",
];

/// Key words a one-letter typo of which still counts ("humna", "opertor", "reprensentative").
#[rustfmt::skip]
const FUZZY: &[&str] = &[
    "human", "humans", "person", "someone", "somebody", "anyone", "anybody", "agent",
    "representative", "operator", "supervisor", "manager", "assistant", "advisor", "employee",
    "support", "contact", "connect", "transfer", "escalate", "speak", "talk", "chat", "speaking", "talking", "chatting", "contacting", "humano", "persona",
    "agente", "asesor", "operador", "representante", "alguien", "hablar", "comunicar", "humain",
    "conseiller", "operateur", "parler", "contacter", "mensch", "menschen", "mitarbeiter",
    "berater", "jemand", "jemandem", "jemanden", "sprechen", "pessoa", "atendente", "alguem",
    "falar", "conversar", "consultor", "useless", "ridiculous", "frustrated", "frustrating",
    "terrible", "horrible", "unacceptable", "please", "available", "supervisora",
];

/// The hash of our word maps: the lexicon is built once and looked up for every word of every
/// turn, so a word is hashed a machine word at a time (its first and last eight bytes, or four, or
/// three single bytes, and its length) and mixed with one wide multiplication, instead of byte by
/// byte. The keys are our own constants, so there is no hash-flooding concern.
#[derive(Default)]
pub(in crate::triggers) struct WordHash(u64);

const K0: u64 = 0x243f_6a88_85a3_08d3;
const K1: u64 = 0x1319_8a2e_0370_7344;

/// Multiplies the two halves into 128 bits and folds them back: every input bit reaches the
/// middle bits of the result.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let m = u128::from(a ^ K0) * u128::from(b ^ K1);
    (m as u64) ^ ((m >> 64) as u64)
}

#[inline]
fn load8(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

#[inline]
fn load4(b: &[u8]) -> u64 {
    u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let mut h = self.0 ^ (n as u64).wrapping_mul(K1);
        let (a, b) = if n > 16 {
            let mut rest = bytes;
            while rest.len() > 16 {
                h = fold_mul(h ^ load8(rest), load8(&rest[8..]));
                rest = &rest[16..];
            }
            (load8(&bytes[n - 16..]), load8(&bytes[n - 8..]))
        } else if n >= 8 {
            (load8(bytes), load8(&bytes[n - 8..]))
        } else if n >= 4 {
            (load4(bytes), load4(&bytes[n - 4..]))
        } else if n > 0 {
            let three =
                u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16;
            (three, 0)
        } else {
            (0, 0)
        };
        self.0 = fold_mul(h ^ a, b);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        // `str`'s hash ends with a 0xff marker: one cheap step, no second multiplication.
        self.0 = self.0.rotate_left(5) ^ u64::from(i);
    }
}

/// A map from our own constant words, hashed with [`WordHash`].
pub(in crate::triggers) type WordMap<V> = HashMap<&'static str, V, BuildHasherDefault<WordHash>>;

/// The bits of each word of `lists` (word lists, each with its bits): the union over the lists
/// a word is on. What a rule module builds once to test every list with one look-up per word.
pub(in crate::triggers) fn bits_by_word<B>(lists: &[(B, &[&'static str])]) -> WordMap<B>
where
    B: Copy + Default + std::ops::BitOrAssign,
{
    let mut t = WordMap::default();
    for &(bits, words) in lists {
        for w in words {
            *t.entry(*w).or_default() |= bits;
        }
    }
    t
}

/// A multi-word entry, after its first word.
pub(super) struct Phrase {
    pub rest: Vec<&'static str>,
    pub bits: Concepts,
}

#[derive(Default)]
struct Entry {
    bits: Concepts,
    phrases: Vec<Phrase>,
    /// A real word: never fuzzy-matched.
    known: bool,
}

struct Lexicon {
    words: WordMap<Entry>,
    /// Fuzzy targets with their bits, by length.
    fuzzy: Vec<(&'static str, Concepts)>,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(build)
}

fn build() -> Lexicon {
    let mut words: WordMap<Entry> = WordMap::default();
    for &(bits, list) in ENTRIES {
        for phrase in list {
            let mut parts = phrase.split(' ');
            let first = parts.next().unwrap_or_default();
            let rest: Vec<&'static str> = parts.collect();
            let entry = words.entry(first).or_default();
            entry.known = true;
            if rest.is_empty() {
                entry.bits |= bits;
            } else if let Some(p) = entry.phrases.iter_mut().find(|p| p.rest == rest) {
                p.bits |= bits;
            } else {
                entry.phrases.push(Phrase { rest, bits });
            }
        }
    }
    for w in PROTECTED {
        words.entry(w).or_default().known = true;
    }
    // Longer phrases first.
    for e in words.values_mut() {
        e.phrases.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
    }
    let mut fuzzy: Vec<(&'static str, Concepts)> = FUZZY
        .iter()
        .map(|w| (*w, words.get(w).map_or(Concepts::empty(), |e| e.bits)))
        .collect();
    fuzzy.sort_by_key(|(w, _)| w.len());
    Lexicon { words, fuzzy }
}

/// The concepts of one folded word: as listed, or else (for a word the lists do not know) those
/// of a German compound ending in a person word or of the key word it is a one-letter typo of.
pub(super) fn word_concepts(w: &str) -> Concepts {
    let lex = lexicon();
    match lex.words.get(w) {
        Some(e) if !e.bits.is_empty() || e.known => e.bits,
        _ => unknown_word(lex, w),
    }
}

/// The multi-word entries whose first word is `w`, longest first.
pub(super) fn phrases(w: &str) -> &'static [Phrase] {
    lexicon().words.get(w).map_or(&[], |e| &e.phrases)
}

/// Bits for a word the lexicon does not list: German compounds ending in a person word, then
/// one-edit typos of key words.
fn unknown_word(lex: &Lexicon, w: &str) -> Concepts {
    for suffix in [
        "mitarbeiter",
        "mitarbeiterin",
        "mitarbeitern",
        "berater",
        "beraterin",
    ] {
        if w.len() > suffix.len() + 2 && w.ends_with(suffix) {
            return Concepts::P_STRONG | Concepts::SALES_UNIT;
        }
    }
    let len = w.len();
    if len < 4 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return Concepts::empty();
    }
    for &(target, bits) in &lex.fuzzy {
        let tl = target.len();
        if tl > len + 2 {
            break;
        }
        let allowed = if tl >= 10 { 2 } else { 1 };
        if tl.abs_diff(len) > allowed {
            continue;
        }
        let ok = if tl <= 4 {
            // Short words: one edit, with the real words around them listed in PROTECTED.
            within_one(w.as_bytes(), target.as_bytes())
        } else if tl >= 10 {
            within_two(w.as_bytes(), target.as_bytes())
        } else {
            within_one(w.as_bytes(), target.as_bytes())
        };
        if ok {
            return bits;
        }
    }
    Concepts::empty()
}

/// True when `a` and `b` differ by at most one insertion, deletion, substitution or swap of two
/// adjacent letters.
fn within_one(a: &[u8], b: &[u8]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if i == la.min(lb) {
        return true;
    }
    match la.cmp(&lb) {
        std::cmp::Ordering::Equal => {
            a[i + 1..] == b[i + 1..]
                || (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..])
        }
        std::cmp::Ordering::Less => a[i..] == b[i + 1..],
        std::cmp::Ordering::Greater => a[i + 1..] == b[i..],
    }
}

/// Optimal-string-alignment distance of at most two, for long key words only.
fn within_two(a: &[u8], b: &[u8]) -> bool {
    const MAX: usize = 24;
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 2 || la >= MAX || lb >= MAX {
        return false;
    }
    let mut rows = [[0u8; MAX + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(lb + 1) {
        *cell = j as u8;
    }
    for i in 1..=la {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as u8;
        let mut row_min = rows[cur][0];
        for j in 1..=lb {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > 2 {
            return false;
        }
    }
    rows[la % 3][lb] <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_hash_tells_every_lexicon_word_apart() {
        use std::hash::BuildHasher;
        let hasher = BuildHasherDefault::<WordHash>::default();
        let words: Vec<&str> = lexicon().words.keys().copied().collect();
        let mut hashes: Vec<u64> = words.iter().map(|w| hasher.hash_one(w)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
        // Words that differ only in the middle, and lengths past 16 bytes, still differ.
        let long = ["kundenservicemitarbeiter", "kundenservicemitarbeitern"];
        assert_ne!(hasher.hash_one(long[0]), hasher.hash_one(long[1]));
        assert_ne!(hasher.hash_one("abcde"), hasher.hash_one("abxde"));
    }

    #[test]
    fn edit_distance_one() {
        assert!(within_one(b"humna", b"human"));
        assert!(within_one(b"opertor", b"operator"));
        assert!(within_one(b"persn", b"person"));
        assert!(within_one(b"agnet", b"agent"));
        assert!(!within_one(b"urgent", b"agent"));
        assert!(within_two(b"reprsentatve", b"representative"));
        assert!(!within_two(b"presentation", b"representative"));
    }
}
