//! The learned part of trigger detection: a small linear model over hashed features of the
//! visitor's last turn, shipped inside the binary.
//!
//! Owns the feature layout (folded word unigrams and bigrams, character 3–5-grams of the folded
//! words, the lexicon's concept bits, question/negation/exclamation cues), the weight file format
//! and inference. It does no I/O and keeps no state: the weights are `include_bytes!`-ed from
//! `model.bin`, produced by the deterministic training command
//! (`cargo run --release -p baton-domain --example train_trigger_model`) from text this
//! repository owns (`tests/families/`, `tests/trigger_cases.jsonl`, `data/training/`). How its
//! output is combined with the rules is `classify`'s business (`mod.rs`), not this module's.

use std::sync::OnceLock;

use super::conversation::{self, EscalationStage, RequestStage};
use super::lexicon::{Concepts, Doc};

/// The classes the model tells apart, in weight order.
pub const CLASSES: [&str; 3] = ["user_request", "escalation", "none"];
/// Index of the visitor asking for a person.
pub const REQUEST: usize = 0;
/// Index of an escalation a person should take (complaint, fraud, unreachable service, ...).
pub const ESCALATION: usize = 1;
/// Index of neither (questions about the bot, third parties, everything else).
pub const NONE: usize = 2;

/// Hash buckets per class (a power of two).
pub const BUCKETS: usize = 1 << 16;
/// Version of the feature layout; bump it with any change to [`features`] or the hash.
pub const LAYOUT_VERSION: u32 = 4;
/// Only this many words of a turn are read (bounded work on long text).
const MAX_WORDS: usize = 64;
/// Only this many bytes of the folded words feed character n-grams.
const MAX_CHAR_BYTES: usize = 400;

const MAGIC: &[u8; 4] = b"BTM1";

/// A description of the feature layout, hashed into the weight file so weights trained for
/// another layout are refused.
pub fn layout_hash() -> u64 {
    let desc = format!(
        "v{LAYOUT_VERSION};buckets={BUCKETS};classes={};words={MAX_WORDS};chars={MAX_CHAR_BYTES};\
         w,b,n,c3-5,k,cues;fnv1a64;conversation={};request={}",
        CLASSES.join(","),
        conversation::FEATURES.join(","),
        conversation::REQUEST_FEATURES.join(",")
    );
    fnv(0, desc.as_bytes())
}

/// The weight file is malformed or was trained for another feature layout.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("weight file too short or without the BTM1 header")]
    Header,
    #[error("weight file was made for feature layout {found:016x}, this build uses {want:016x}")]
    Layout { found: u64, want: u64 },
    #[error("weight file holds {found} bytes of weights, the layout needs {want}")]
    Size { found: usize, want: usize },
}

/// A linear model: per class, a bias and one weight per hash bucket; and the conversation stage
/// trained with it ([`conversation`]).
#[derive(Clone)]
pub struct Model {
    /// `weights[bucket * 3 + class]`, so one feature's classes sit together.
    weights: Vec<f32>,
    bias: [f32; 3],
    conversation: EscalationStage,
    request: RequestStage,
}

/// The model's reading of a turn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// Probabilities of [`CLASSES`], summing to 1.
    pub probs: [f32; 3],
}

impl Prediction {
    /// The most likely class and its probability.
    pub fn best(&self) -> (usize, f32) {
        let mut best = 0;
        for k in 1..3 {
            if self.probs[k] > self.probs[best] {
                best = k;
            }
        }
        (best, self.probs[best])
    }
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("buckets", &BUCKETS)
            .field("bias", &self.bias)
            .finish_non_exhaustive()
    }
}

static SHIPPED: OnceLock<Option<Model>> = OnceLock::new();

/// The model shipped in the binary, or `None` if its weights do not match this build's layout
/// (which a unit test rules out).
pub fn shipped() -> Option<&'static Model> {
    SHIPPED
        .get_or_init(|| Model::from_bytes(include_bytes!("model.bin")).ok())
        .as_ref()
}

impl Model {
    /// A model with every weight zero and a conversation stage that never hands over (the
    /// training command starts from it).
    pub fn zero() -> Model {
        Model {
            weights: vec![0.0; BUCKETS * 3],
            bias: [0.0; 3],
            conversation: EscalationStage::never(),
            request: RequestStage::never(),
        }
    }

    /// Reads a weight file: `BTM1`, the layout hash (u64 LE), three f32 biases, a f32 scale,
    /// `BUCKETS * 3` i16 weights (LE), each multiplied by the scale, then the conversation
    /// stage's escalation side and its request side, each a bias and weights (f32 LE).
    pub fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        const HEAD: usize = 4 + 8 + 4 * 4;
        if b.len() < HEAD || &b[..4] != MAGIC {
            return Err(ModelError::Header);
        }
        let found = u64::from_le_bytes(b[4..12].try_into().expect("8 bytes"));
        let want = layout_hash();
        if found != want {
            return Err(ModelError::Layout { found, want });
        }
        let f = |at: usize| f32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
        let bias = [f(12), f(16), f(20)];
        let scale = f(24);
        let body = &b[HEAD..];
        let want = BUCKETS * 3 * 2 + EscalationStage::BYTES + RequestStage::BYTES;
        if body.len() != want {
            return Err(ModelError::Size {
                found: body.len(),
                want,
            });
        }
        let (turn, stages) = body.split_at(BUCKETS * 3 * 2);
        let (stage, request) = stages.split_at(EscalationStage::BYTES);
        let weights = turn
            .chunks_exact(2)
            .map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) * scale)
            .collect();
        let conversation = EscalationStage::read(stage).ok_or(ModelError::Header)?;
        let request = RequestStage::read(request).ok_or(ModelError::Header)?;
        Ok(Model {
            weights,
            bias,
            conversation,
            request,
        })
    }

    /// The weight file of this model (weights quantised to i16; see [`Model::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut out = Vec::with_capacity(
            28 + self.weights.len() * 2 + EscalationStage::BYTES + RequestStage::BYTES,
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&layout_hash().to_le_bytes());
        for b in self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out.extend_from_slice(&scale.to_le_bytes());
        for w in &self.weights {
            let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
            out.extend_from_slice(&q.to_le_bytes());
        }
        self.conversation.write(&mut out);
        self.request.write(&mut out);
        out
    }

    /// The conversation stage's escalation side, trained with this model.
    pub fn conversation(&self) -> &EscalationStage {
        &self.conversation
    }

    /// The conversation stage's request side, trained with this model.
    pub fn request_stage(&self) -> &RequestStage {
        &self.request
    }

    /// Replaces the conversation stage's two sides (the training command fits them after the
    /// turn weights).
    pub fn set_conversation(&mut self, stage: EscalationStage, request: RequestStage) {
        self.conversation = stage;
        self.request = request;
    }

    /// Class scores (logits) of a feature vector.
    pub fn logits(&self, x: &Features) -> [f32; 3] {
        let mut z = self.bias;
        for &b in &x.buckets {
            let w = &self.weights[b as usize * 3..b as usize * 3 + 3];
            z[0] += w[0] * x.value;
            z[1] += w[1] * x.value;
            z[2] += w[2] * x.value;
        }
        z
    }

    /// Class probabilities of a feature vector.
    pub fn predict(&self, x: &Features) -> Prediction {
        Prediction {
            probs: softmax(self.logits(x)),
        }
    }

    /// Class probabilities of a tokenised turn, summing weights as the features are found (no
    /// feature vector is built: what `classify` runs).
    pub(super) fn predict_doc(&self, doc: &Doc<'_>) -> Prediction {
        let mut sum = Summed {
            weights: &self.weights,
            z: [0.0; 3],
            n: 0,
        };
        extract(doc, &mut sum);
        let value = 1.0 / (sum.n.max(1) as f32).sqrt();
        let z = [
            self.bias[0] + sum.z[0] * value,
            self.bias[1] + sum.z[1] * value,
            self.bias[2] + sum.z[2] * value,
        ];
        Prediction { probs: softmax(z) }
    }

    /// One step of stochastic gradient descent on the cross-entropy of `x` labelled `y`, with L2
    /// shrinkage `l2` on the weights it touches (the training command's loop).
    pub fn sgd_step(&mut self, x: &Features, y: usize, rate: f32, l2: f32) {
        let p = softmax(self.logits(x));
        for (k, pk) in p.into_iter().enumerate() {
            let g = pk - if k == y { 1.0 } else { 0.0 };
            self.bias[k] -= rate * g;
            for &b in &x.buckets {
                let w = &mut self.weights[b as usize * 3 + k];
                *w -= rate * (g * x.value + l2 * *w);
            }
        }
    }

    /// The features that pushed the turn most towards class `k` (against the others), as
    /// readable names, strongest first: what an explanation shows. Words, word pairs and
    /// concepts that carry meaning come first, then grammar (pronouns, articles, auxiliaries and
    /// cues such as a long turn), then letter n-grams: each names a decision less readably.
    /// Only the features shown are named (formatting every feature's name would cost more than
    /// the classification).
    pub(super) fn top_features(&self, doc: &Doc<'_>, k: usize, n: usize) -> Vec<String> {
        let grammar_words: Vec<&str> = (0..doc.toks.len().min(MAX_WORDS))
            .filter(|&j| doc.bits(j).intersects(GRAMMAR))
            .map(|j| doc.word(j))
            .collect();
        let mut pushes = Pushes {
            weights: &self.weights,
            class: k,
            grammar_words: &grammar_words,
            found: Vec::new(),
            text: Vec::new(),
        };
        extract(doc, &mut pushes);
        let Pushes {
            mut found, text, ..
        } = pushes;
        let feature_text = |f: &Push| &text[f.at as usize..f.at as usize + f.len as usize];
        found.sort_by(|a, b| {
            a.tier
                .cmp(&b.tier)
                .then_with(|| b.push.total_cmp(&a.push))
                .then_with(|| (a.kind, feature_text(a)).cmp(&(b.kind, feature_text(b))))
        });
        let mut out: Vec<String> = Vec::with_capacity(n);
        for f in &found {
            let name = name(f.kind, feature_text(f));
            if !out.contains(&name) {
                out.push(name);
                if out.len() == n {
                    break;
                }
            }
        }
        out
    }
}

/// A feature that pushes towards the explained class: its readability tier, how hard it
/// pushes, its kind letter and where its text sits in [`Pushes::text`].
struct Push {
    tier: u8,
    push: f32,
    kind: u8,
    at: u32,
    len: u16,
}

/// Keeps the features that push a turn towards `class`, their texts in one buffer (no name is
/// formatted and nothing is allocated per feature).
struct Pushes<'m> {
    weights: &'m [f32],
    class: usize,
    grammar_words: &'m [&'m str],
    found: Vec<Push>,
    text: Vec<u8>,
}

impl Sink for Pushes<'_> {
    fn add_at(&mut self, kind: u8, text: &[u8], bucket: u32) {
        let b = bucket as usize * 3;
        let w = &self.weights[b..b + 3];
        let others = (0..3)
            .filter(|&j| j != self.class)
            .map(|j| w[j])
            .fold(f32::MIN, f32::max);
        let push = w[self.class] - others;
        if push <= 0.0 {
            return;
        }
        self.found.push(Push {
            tier: readability(kind, text, self.grammar_words),
            push,
            kind,
            at: self.text.len() as u32,
            len: text.len() as u16,
        });
        self.text.extend_from_slice(text);
    }
}

/// The readable name of a feature, as explanations show it.
fn name(kind: u8, text: &[u8]) -> String {
    let t = String::from_utf8_lossy(text);
    match kind {
        b'w' => format!("word \"{t}\""),
        b'b' => match t.strip_prefix("^ ") {
            Some(first) => format!("first word \"{first}\""),
            None => format!("words \"{t}\""),
        },
        b'c' => format!("letters \"{}\"", t.trim()),
        b'k' => format!("concept {}", t.to_lowercase()),
        b'n' => format!("negated word \"{t}\""),
        _ => format!("cue {t}"),
    }
}

/// The lexicon's concepts that mark grammar rather than meaning.
const GRAMMAR: Concepts = Concepts::PRON
    .union(Concepts::DET)
    .union(Concepts::POSS1)
    .union(Concepts::AUX)
    .union(Concepts::BE_AUX)
    .union(Concepts::ME);

/// How readably a feature says why: 0 for words and concepts that carry meaning, 1 for grammar
/// (words the lexicon tags as pronouns, articles, possessives, auxiliaries, forms of "to be" or
/// "me"; those concepts; cues), 2 for letter n-grams.
fn readability(kind: u8, text: &[u8], grammar_words: &[&str]) -> u8 {
    let grammar = |words: &[u8]| {
        words
            .split(|&b| b == b' ')
            .all(|w| grammar_words.iter().any(|g| g.as_bytes() == w))
    };
    match kind {
        b'c' => 2,
        b'w' => u8::from(grammar(text)),
        b'b' => u8::from(grammar(text.strip_prefix(b"^ ").unwrap_or(text))),
        b'k' => u8::from(
            ["pron", "det", "poss1", "aux", "be_aux", "me", "numword"]
                .iter()
                .any(|g| text.eq_ignore_ascii_case(g.as_bytes())),
        ),
        b'n' => 0,
        _ => 1,
    }
}

fn softmax(z: [f32; 3]) -> [f32; 3] {
    let m = z[0].max(z[1]).max(z[2]);
    let e = [(z[0] - m).exp(), (z[1] - m).exp(), (z[2] - m).exp()];
    let s = e[0] + e[1] + e[2];
    [e[0] / s, e[1] / s, e[2] / s]
}

/// A turn's features: the hash buckets present, each with the same value (1/√n, so long and
/// short turns weigh alike).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    pub buckets: Vec<u32>,
    pub value: f32,
}

/// The features of a visitor turn (what the training command and [`Model::predict`] read).
pub fn features(text: &str) -> Features {
    features_of(&Doc::new(text))
}

fn features_of(doc: &Doc<'_>) -> Features {
    let mut h = Hashed::default();
    extract(doc, &mut h);
    let value = 1.0 / (h.buckets.len().max(1) as f32).sqrt();
    Features {
        buckets: h.buckets,
        value,
    }
}

/// Where [`extract`] sends each feature: a kind letter, its text and its hash bucket.
trait Sink {
    fn add_at(&mut self, kind: u8, text: &[u8], bucket: u32);

    fn add(&mut self, kind: u8, text: &[u8]) {
        self.add_at(kind, text, bucket(kind, text));
    }
}

#[derive(Default)]
struct Hashed {
    buckets: Vec<u32>,
}

impl Sink for Hashed {
    fn add_at(&mut self, _: u8, _: &[u8], bucket: u32) {
        self.buckets.push(bucket);
    }
}

/// Sums each feature's weights as it is found (the features all weigh the same, so the sum is
/// scaled once at the end).
struct Summed<'m> {
    weights: &'m [f32],
    z: [f32; 3],
    n: usize,
}

impl Sink for Summed<'_> {
    fn add_at(&mut self, _: u8, _: &[u8], bucket: u32) {
        let b = bucket as usize * 3;
        let w = &self.weights[b..b + 3];
        self.z[0] += w[0];
        self.z[1] += w[1];
        self.z[2] += w[2];
        self.n += 1;
    }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_START ^ seed, |h, &b| fnv_step(h, b))
}

/// The bucket of a feature's hash.
fn bucket_of(h: u64) -> u32 {
    ((h ^ (h >> 29)) as usize & (BUCKETS - 1)) as u32
}

fn bucket(kind: u8, text: &[u8]) -> u32 {
    bucket_of(fnv(u64::from(kind), text))
}

/// The letter 3–5-grams of `text` whose characters start at `starts` (and the last ends at
/// `text.len()`), each hashed once: a 4-gram's hash goes on from its 3-gram's, a 5-gram's from
/// its 4-gram's (the same hashes as [`bucket`] gives each n-gram on its own).
fn letter_grams(text: &[u8], starts: impl Fn(usize) -> usize, chars: usize, sink: &mut impl Sink) {
    for i in 0..chars.saturating_sub(2) {
        let mut h = FNV_START ^ u64::from(b'c');
        let from = starts(i);
        for len in 1..=5.min(chars - i) {
            let to = if i + len == chars {
                text.len()
            } else {
                starts(i + len)
            };
            for &b in &text[starts(i + len - 1)..to] {
                h = fnv_step(h, b);
            }
            if len >= 3 {
                sink.add_at(b'c', &text[from..to], bucket_of(h));
            }
        }
    }
}

/// Every feature of a turn, in a fixed order.
fn extract(doc: &Doc<'_>, sink: &mut impl Sink) {
    let n = doc.toks.len().min(MAX_WORDS);
    let mut joined: Vec<u8> = Vec::with_capacity(MAX_CHAR_BYTES + 2);
    joined.push(b' ');
    let mut pair: Vec<u8> = Vec::with_capacity(48);
    let mut concepts = Concepts::empty();
    let mut prev: &str = "^";
    // Words after a negation in the same clause ("no complaints", "ich will nicht
    // weitergeleitet werden") also count as negated words.
    let mut negated_clause: Option<u16> = None;
    for i in 0..n {
        let w = doc.word(i);
        sink.add(b'w', w.as_bytes());
        let clause = doc.toks[i].clause;
        if negated_clause == Some(clause) {
            sink.add(b'n', w.as_bytes());
        } else if doc.bits(i).intersects(Concepts::NEG) {
            negated_clause = Some(clause);
        }
        pair.clear();
        pair.extend_from_slice(prev.as_bytes());
        pair.push(b' ');
        pair.extend_from_slice(w.as_bytes());
        sink.add(b'b', &pair);
        prev = w;
        concepts |= doc.bits(i);
        if joined.len() + w.len() < MAX_CHAR_BYTES {
            joined.extend_from_slice(w.as_bytes());
            joined.push(b' ');
        }
    }
    // Character n-grams of the folded words, on character boundaries (bytes when the folded
    // words are ASCII, as they mostly are).
    if joined.is_ascii() {
        letter_grams(&joined, |i| i, joined.len(), sink);
    } else {
        let text = String::from_utf8_lossy(&joined);
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        letter_grams(text.as_bytes(), |i| starts[i], starts.len(), sink);
    }
    for (name, _) in concepts.iter_names() {
        sink.add(b'k', name.as_bytes());
    }
    let stats = &doc.stats;
    if stats.question > 0 {
        sink.add(b'q', b"question mark");
    }
    if stats.exclaim > 0 {
        sink.add(b'q', b"exclamation mark");
    }
    if concepts.intersects(Concepts::NEG) {
        sink.add(b'q', b"negation");
    }
    let len_cue: &[u8] = match n {
        0..=3 => b"short turn",
        4..=10 => b"medium turn",
        _ => b"long turn",
    };
    sink.add(b'q', len_cue);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_name_meaning_before_grammar_and_letters() {
        let grammar = ["sie", "das"];
        for (kind, text, tier) in [
            (b'w', "reklamation", 0),
            (b'n', "jeden", 0),
            (b'k', "CONTACT", 0),
            (b'b', "das reklamation", 0),
            (b'b', "^ sie", 1),
            (b'b', "sie das", 1),
            (b'k', "PRON", 1),
            (b'q', "long turn", 1),
            (b'c', "rek", 2),
        ] {
            assert_eq!(readability(kind, text.as_bytes(), &grammar), tier, "{text}");
        }
        assert_eq!(name(b'b', b"^ sie"), "first word \"sie\"");
        assert_eq!(name(b'k', b"CONTACT"), "concept contact");
    }

    #[test]
    fn the_shipped_weights_load_and_match_the_layout() {
        let m = Model::from_bytes(include_bytes!("model.bin")).expect("shipped weights");
        assert!(m.weights.iter().any(|w| *w != 0.0), "weights are all zero");
        assert!(shipped().is_some());
    }

    #[test]
    fn weights_for_another_layout_are_refused() {
        let mut b = Model::zero().to_bytes();
        assert!(Model::from_bytes(&b).is_ok());
        b[5] ^= 1;
        assert!(matches!(
            Model::from_bytes(&b),
            Err(ModelError::Layout { .. })
        ));
        assert!(matches!(Model::from_bytes(b"BTM"), Err(ModelError::Header)));
        let short = &Model::zero().to_bytes()[..100];
        assert!(matches!(
            Model::from_bytes(short),
            Err(ModelError::Size { .. })
        ));
    }

    #[test]
    fn a_round_trip_keeps_the_predictions() {
        let mut m = Model::zero();
        let x = features("get me a manager now");
        for _ in 0..20 {
            m.sgd_step(&x, REQUEST, 0.5, 0.0);
        }
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        let (a, b) = (m.predict(&x).probs, back.predict(&x).probs);
        for k in 0..3 {
            assert!((a[k] - b[k]).abs() < 1e-3, "{a:?} {b:?}");
        }
        assert_eq!(back.predict(&x).best().0, REQUEST);
    }

    #[test]
    fn inference_reads_the_features_training_reads() {
        let m = shipped().expect("shipped weights");
        for t in [
            "get me a manager now",
            "Übergabe an einen Menschen, bitte!",
            "est-ce que je parle à un robot ?",
            "",
        ] {
            let a = m.predict(&features(t)).probs;
            let b = m.predict_doc(&Doc::new(t)).probs;
            for k in 0..3 {
                assert!((a[k] - b[k]).abs() < 1e-4, "{t}: {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn letter_grams_hash_each_n_gram_as_it_would_be_hashed_alone() {
        struct Seen(Vec<(Vec<u8>, u32)>);
        impl Sink for Seen {
            fn add_at(&mut self, _: u8, text: &[u8], bucket: u32) {
                self.0.push((text.to_vec(), bucket));
            }
        }
        for t in [
            " ab ",
            " hello world ",
            " çà et là ",
            " 你好吗 ",
            " ab",
            "x",
        ] {
            let chars: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
            let mut seen = Seen(Vec::new());
            letter_grams(t.as_bytes(), |i| chars[i], chars.len(), &mut seen);
            let mut want: Vec<(Vec<u8>, u32)> = Vec::new();
            let ends: Vec<usize> = chars.iter().copied().chain([t.len()]).collect();
            for len in 3..=5 {
                for w in ends.windows(len + 1) {
                    let g = &t.as_bytes()[w[0]..w[len]];
                    want.push((g.to_vec(), bucket(b'c', g)));
                }
            }
            seen.0.sort();
            want.sort();
            assert_eq!(seen.0, want, "{t}");
        }
    }

    #[test]
    fn features_are_bounded_and_total() {
        for t in ["", "🙂🙂🙂", "Привет 你好 hello", "a"] {
            let f = features(t);
            assert!(f.value.is_finite());
        }
        let long = "word ".repeat(20_000);
        let f = features(&long);
        assert!(f.buckets.len() < 3 * MAX_WORDS + 3 * MAX_CHAR_BYTES + 200);
    }
}
