//! The blind batches: how the trigger detection does on wording nobody tuned it against.
//!
//! Each round holds at least 300 labelled phrasings per family of hard cases (explicit requests
//! in unusual shapes, escalations support teams route to people, questions about the bot's
//! nature, messages about third parties), in the five languages, written by someone who had not
//! read the engine, before a round of work on these families. `tests/blind/round12/`,
//! `round13/`, `round14/`, `round17/`, `round18/`, `round20/`, `round25/`, `round26/`,
//! `round28/`, `round30/`, `round31/`, `round34/`, `round35/` and `round38/` to `round40/` are
//! still blind: they are scored here and never used to develop the rules or train the model (a
//! rule written because a blind line failed would turn this measurement into one more case
//! file). Rounds 1 to 11, 15, 16, 19, 21 to 24, 27, 29, 32, 33, 36, 37, 43 and 44 were each
//! scored blind once, then retired into the model's training data (`data/retired-blind/`, see
//! `examples/train_trigger_model.rs`); they stay here as a regression guard, no longer as a
//! measurement. See `tests/blind/README.md`.
//!
//! Labels: `user_request` (must be a request for a person), `handoff` (any trigger hands over),
//! `not_request` (anything but a request for a person), `none` (no trigger at all).
//! Set `TRIGGER_EVAL_VERBOSE=1` to print every miss.

use std::collections::BTreeMap;
use std::path::Path;

use baton_domain::triggers::{TriggerSettings, Turn, TurnAuthor, classify};

const FAMILIES: [&str; 4] = [
    "explicit_requests",
    "escalations",
    "bot_nature",
    "third_parties",
];
const LABELS: [&str; 4] = ["user_request", "handoff", "not_request", "none"];
const MIN_LINES: usize = 300;

/// The accuracy each family of each round may not fall below (rounded down): a regression guard,
/// not a target (the target is 0.95).
///
/// Round 1 (`tests/blind/*.jsonl`), written before any rule for these families: explicit
/// requests 0.757, escalations 0.540, bot's nature 0.928, third parties 0.872 before; 0.825,
/// 0.671, 0.956, 0.897 after the first family rules; 0.849, 0.724, 0.944, 0.909 after the second.
/// Round 2 (`tests/blind/round2/`), written after the first rules and before the second: 0.819,
/// 0.662, 0.956, 0.934 before the second rules; 0.831, 0.759, 0.956, 0.931 after.
/// Round 3 (`tests/blind/round3/`), written after the second rules and before the third: 0.832,
/// 0.778, 0.946, 0.919 before the third rules; 0.851, 0.805, 0.951, 0.924 after (rounds 1 and 2
/// after the third rules: 0.868, 0.786, 0.966, 0.909 and 0.844, 0.787, 0.972, 0.934).
/// Round 4 (`tests/blind/round4/`), written after the third rules and before the learned
/// component: 0.848, 0.808, 0.950, 0.901 with the rules alone.
/// With the learned model blended in (`triggers::model`, trained only on the repository's own
/// text, never on these files; three configurations were scored on rounds 1 to 3, see
/// BENCHMARKS.md, and round 4 once, as shipped): round 1 0.905, 0.845, 0.972, 0.912; round 2
/// 0.877, 0.806, 0.972, 0.941; round 3 0.894, 0.851, 0.951, 0.927; round 4 0.897, 0.838, 0.950,
/// 0.907.
/// Round 5 (`tests/blind/round5/`), written after the learned component and before it was
/// trained on more text: 0.861, 0.822, 0.928, 0.917 with the model as first shipped.
/// After the model was retrained with about 2,150 more own phrasings (`data/training/*-2.jsonl`,
/// same features and blend; round 5 scored once, after): round 1 0.926, 0.882, 0.969, 0.919;
/// round 2 0.896, 0.825, 0.969, 0.950; round 3 0.913, 0.876, 0.956, 0.927; round 4 0.910, 0.865,
/// 0.945, 0.924; round 5 0.886, 0.853, 0.931, 0.937. The bot's nature lost one line in rounds 1
/// and 2 and two in round 4; every other family of every round gained.
/// Round 6 (`tests/blind/round6/`), written before the third set of own phrasings
/// (`data/training/*-3.jsonl`, escalations above all, and `*-4.jsonl`, calm questions on the
/// same topics) was trained on: 0.886, 0.825, 0.950, 0.942 before; 0.908, 0.861, 0.950, 0.945
/// after, with `escalate` raised to 0.93 (see `Blend::SHIPPED`). A suite test then showed the
/// model calling "Hello again" frustration: 132 calm lines with "again" and "still" in the five
/// languages (`data/training/calm-again-still.jsonl`) fixed it, and as shipped round 6 reads
/// 0.908, 0.859, 0.950, 0.945; rounds 1 to 5: 0.942, 0.873, 0.969, 0.922; 0.902, 0.847, 0.969,
/// 0.950; 0.916, 0.886, 0.956, 0.935; 0.912, 0.895, 0.948, 0.924; 0.912, 0.865, 0.934, 0.945.
/// Round 7 (`tests/blind/round7/`), written after all of that by a new author, scored once with
/// the engine as shipped above: 0.917, 0.876, 0.944, 0.957. Then three rules from own phrasings
/// (a name given in Spanish or Portuguese, "llámame Nacho", is no call; the manager "of the
/// store" is the business's own; German "Betrugsschutz" names a thing) and round 7 read 0.917,
/// 0.879, 0.944, 0.957; no family of rounds 1 to 6 lost a line.
/// Round 8 (`tests/blind/round8/`), written by a new author before rounds 1 to 7 were retired
/// into the training data: 0.923, 0.820, 0.963, 0.885 with the engine as shipped above (scored
/// once, over `baton triggers classify`). Then the model was retrained with rounds 1 to 7
/// (`data/retired-blind/`) and 112 own lines asking the bot for help with a task, and
/// `Blend::SHIPPED` moved (both chosen on rounds 1 to 7 left out one at a time and on the dev
/// set, never on round 8): round 8 reads 0.949, 0.840, 0.968, 0.920. The floors of rounds 1 to
/// 7 are now those of training data.
/// Round 9 (`tests/blind/round9/`), written by another new author after that work, scored once
/// with each engine to confirm it on lines nobody had scored: 0.861, 0.778, 0.947, 0.886 with the
/// engine as shipped before round 8; 0.915, 0.823, 0.958, 0.935 with the engine above. It is the
/// "before" of the next round of work.
/// Rounds 10 to 13, written at once by four new authors (10 and 11 decided beforehand to be
/// training data, 12 and 13 the measurement), scored once with the engine above: 0.812, 0.720,
/// 0.924, 0.906; 0.932, 0.760, 0.955, 0.960; 0.910, 0.833, 0.968, 0.917; 0.899, 0.809, 0.962,
/// 0.943. Then rules for incidents (an account taken over, harm done by a product, personal data
/// exposed) and other own phrasings: rounds 8 and 9 read 0.949, 0.857, 0.968, 0.920 and 0.915,
/// 0.837, 0.958, 0.938 with them and the old model. Rounds 8 to 11 were then retired, the model
/// retrained on them and 969 own calm-or-escalated money and account lines at a higher rate,
/// and the blend moved (all chosen on the retired rounds left out one at a time and the dev
/// set). Rounds 12 and 13 after, scored once: 0.943, 0.895, 0.971, 0.965 and 0.918, 0.896,
/// 0.967, 0.990. Their floors are those; the retired rounds' are those of training data.
/// Round 14 (`tests/blind/round14/`), written after all of that by another new author, scored
/// once with each engine to confirm it: 0.929, 0.867, 0.966, 0.941 with the engine as shipped
/// before rounds 10 to 13; 0.948, 0.936, 0.960, 0.980 with the engine above. It is the "before"
/// of the next round of work.
/// Rounds 15 to 18, written at once by four new authors (15 and 16 decided beforehand to be
/// training data, 17 and 18 the measurement), scored once with the engine above: 0.902, 0.858,
/// 0.945, 0.940; 0.947, 0.836, 0.966, 0.938; 0.942, 0.914, 0.958, 0.964; 0.906, 0.861, 0.965,
/// 0.958. Then rules from own phrasings (giving up on the chat, someone named asked for, fraud
/// protection named first, a lawyer informed, regulators, idioms of exasperation), rounds 15 and
/// 16 retired with 300 own calm "help me with…" lines, the model retrained and the blend moved
/// (chosen on the retired rounds left out one at a time and the dev set). After, scored once:
/// round 14 0.956, 0.931, 0.960, 0.983; round 17 0.942, 0.934, 0.961, 0.986; round 18 0.919,
/// 0.875, 0.965, 0.961. Rounds 12 and 13 read 0.948, 0.931, 0.978, 0.957 and 0.930, 0.910,
/// 0.967, 0.990: round 12's third parties lost three lines (0.965 → 0.957).
/// Then rounds 19 (training: sarcasm, giving up, requests that build over turns) and 20 (the
/// usual brief), written at once by two new authors, were scored once with that engine: 0.934,
/// 0.816, 0.946, 0.970 and 0.923, 0.939, 0.968, 0.968. Round 19 was retired and the model
/// retrained (nothing else changed); round 20 after, once: 0.931, 0.939, 0.971, 0.966. The
/// other blind rounds then read: 12 0.940, 0.926, 0.976, 0.965; 13 0.932, 0.908, 0.970, 0.990;
/// 14 0.959, 0.934, 0.963, 0.980; 17 0.942, 0.934, 0.961, 0.986; 18 0.916, 0.875, 0.968, 0.961.
/// Then rounds 21 to 26, written at once by six new authors (21 to 24 decided beforehand to be
/// training data: indirect requests, dry and sarcastic escalations, regional writing,
/// conversations; 25, the usual brief, and 26, many kinds of writers and mixed messages, the
/// measurement), were scored once with that engine: 0.901, 0.934, 0.950, 0.955; 0.948, 0.779,
/// 0.955, 0.974; 0.944, 0.914, 0.966, 0.980; 0.910, 0.912, 0.941, 0.975; 0.923, 0.889, 0.968,
/// 0.943; 0.933, 0.926, 0.966, 0.989. Rounds 21 to 24 were retired, and the work measured was: a
/// learned conversation stage, imagined and dropped requests declined, irony as a weak signal,
/// threats to leave, trades asked for, 495 own calm "help me with…" lines and `escalate` 0.93
/// (all chosen on the retired rounds left out one at a time and the dev set). After, scored
/// once: round 25 0.940, 0.895, 0.966, 0.960; round 26 0.935, 0.934, 0.969, 0.992. Then the
/// suite's built-in engine test showed the retrained model calling "An unladen one, I mean" an
/// escalation; 50 own calm clarifications fixed it, and rounds 25 and 26 scored a second time,
/// as shipped: 0.943, 0.895, 0.968, 0.957 and 0.937, 0.934, 0.971, 0.992. The older blind rounds
/// as shipped: 12 0.965, 0.950, 0.980, 0.972; 13 0.949, 0.925, 0.972, 0.993; 14 0.975, 0.936,
/// 0.963, 0.986; 17 0.961, 0.948, 0.967, 0.986; 18 0.936, 0.898, 0.965, 0.966; 20 0.950, 0.953,
/// 0.983, 0.966.
/// Round 28 (the usual brief), written by another new author once that engine was final, scored
/// once with it: 0.975, 0.947, 0.963, 0.978. It was the "before" of the next round of work, with
/// rounds 30 (the usual brief) and 31 (conversations: requests pressed only by implication,
/// withdrawn requests), written at once with rounds 32 and 33 (training data: dry Spanish and
/// Portuguese escalations; unusual role words) by four new authors and scored once with the
/// same engine: 0.969, 0.974, 0.963, 0.972 and 0.825, 0.983, 0.965, 0.945. Rounds 27, 29, 32 and
/// 33 were retired, and the work measured was: a request side of the conversation stage (a
/// request made earlier and not withdrawn carries over), trained on the retired rounds and 420
/// own conversations, and a question whether a person is needed declined. After, scored once:
/// round 28 0.978, 0.950, 0.963, 0.975; 30 0.983, 0.974, 0.963, 0.972; 31 0.876, 0.983, 0.971,
/// 0.954. Three small rules followed (a payment disowned, consumer bodies, a complaints channel
/// asked for); as shipped, round 28 reads 0.978, 0.953, 0.963, 0.975 and 30 and 31 the same.
/// Rounds 34 (the usual brief) and 35 (conversations), written by two more new authors once
/// that engine was final, scored once with it: 0.969, 0.941, 0.972, 0.969 and 0.924, 0.951,
/// 0.981, 0.976 (with the engine before this work, for reference: 0.963, 0.935, 0.972, 0.972
/// and 0.897, 0.957, 0.978, 0.978). They are the "before" of the next round of work, with round
/// 38 (the usual brief), written at once with rounds 36 and 37 (training data: dry and sarcastic
/// escalations; requests answered only with a topic, a number or a nudge) by three new authors
/// and scored once with the same engine: 0.970, 0.941, 0.966, 0.966. Rounds 36 and 37 were
/// retired, and the work measured was: escalation rules reading word lists as bits, a
/// rhetorical "do you even read these?", irony beside an "again" or a doubled charge,
/// sarcastic set phrases, a call promised and never made as a request, two request-side
/// features, and 646 own short calm replies trained on. After, scored once: round 34 0.966,
/// 0.949, 0.972, 0.972; 35 0.935, 0.965, 0.981, 0.976; 38 0.967, 0.944, 0.966, 0.977.
/// Rounds 39 (the usual brief) and 40 (conversations), written by two more new authors while
/// the last blend setting was chosen, scored once with the final engine: 0.962, 0.934, 0.973,
/// 0.972 and 0.878, 0.950, 0.963, 0.978 (with the engine before this work, for reference:
/// 0.960, 0.942, 0.973, 0.969 and 0.890, 0.932, 0.965, 0.973). They are the "before" of the
/// next round of work.
/// Rounds 41 (the usual brief) and 42 (conversations), written at once with rounds 43 and 44
/// (training data: conversations ending in a short dry remark after answers that missed, dry
/// sarcasm; requests answered only with a topic, a number or a yes) by four new authors, scored
/// once with that engine: 0.983, 0.949, 0.948, 0.968 and 0.909, 0.986, 0.969, 0.972. Rounds 43
/// and 44 were retired, and the work measured was: escalation rules run only with their cue
/// words, payments withheld, cancelling with finality, a complaint forwarded, the open matter's
/// birthday and hold music known by heart as irony, six conversation-stage features, the
/// stage at 0.3 and `escalate` at 0.9, a question about the bot no longer vetoing a request in
/// a later clause, a transfer to the visitor's own contact. After, scored once: round 41 0.980,
/// 0.955, 0.956, 0.968; 42 0.906, 0.992, 0.969, 0.969. Scored once more, round 31's escalations
/// lost five calm conversations (0.983 → 0.968) and its third parties two lines (0.951 →
/// 0.945), round 39's explicit requests two (0.962 → 0.957), and retired round 29's explicit
/// requests one: their floors went down.
/// Rounds 45 (the usual brief) and 46 (conversations), written by two more new authors once that
/// engine was final, scored once with it: 0.987, 0.965, 0.992, 0.945 and 0.920, 0.968, 0.967,
/// 0.961 (with the engine before this work, for reference: 0.984, 0.963, 0.981, 0.942 and
/// 0.912, 0.958, 0.961, 0.967). They are the "before" of the next round of work.
/// Rounds 49 (the usual brief) and 50 (conversations), written at once with rounds 47 and 48
/// (training data: requests answered with a follow-up and only answered or pressed; third
/// parties; short last turns after answers that missed or helped) by four new authors, scored
/// once with that engine: 0.958, 0.934, 0.985, 0.970 and 0.932, 0.929, 0.984, 0.988. Rounds 47
/// and 48 were retired, and the work measured was: four request-side features, sales and
/// front-desk staff words, a need for someone by title and name, a request taken back in the
/// same message, a refund of "the transfer" no offer of a person, a taxi or the police as
/// another service, a short answer to the bot's question as a stage feature, and `escalate`
/// 0.9 → 0.95 (0.93 was scored first: round 45 0.984, 0.968, 0.989, 0.950; 46 0.925, 0.968,
/// 0.967, 0.959; 49 0.955, 0.934, 0.988, 0.970; 50 0.941, 0.935, 0.981, 0.984; then the AI
/// engine's test of a calm clarification failed). As shipped, at 0.95: round 45 0.984, 0.963,
/// 0.989, 0.950; 46 0.925, 0.961, 0.967, 0.959; 49 0.955, 0.925, 0.988, 0.970; 50 0.941,
/// 0.925, 0.981, 0.984. Escalations lost lines on most rounds (34 0.944 → 0.933, 35 0.968 →
/// 0.957, 38 0.949 → 0.938, 41 0.955 → 0.946; retired 22, 23, 24 and 33 too), bot nature in
/// round 35 (0.981 → 0.978), third parties in round 39 (0.975 → 0.969): their floors went down
/// a point, as did round 45's bot nature and 46's third parties.
/// Rounds 51 (calm questions about money and places beside grievances on the same topics) and
/// 52 (requests in long turns, pronouns for staff the bot named, answer particles, safety
/// reports) were written as training data, scored once with be43340's engine (0.960, 0.921,
/// 0.965, 0.982 and 0.891, 0.805, 0.966, 0.944) and retired; 53 and 54 (conversations) are
/// blind, scored with that engine before any work (0.985, 0.920, 0.988, 0.982 and 0.916,
/// 0.886, 0.966, 0.955) and after it with the calm gate on escalations, the hazard and injury
/// reports and the request rules' new shapes (0.982, 0.936, 0.991, 0.988 and 0.919, 0.915,
/// 0.963, 0.961). With that work rounds 49 and 50 read 0.961, 0.955, 0.988, 0.970 and 0.944,
/// 0.941, 0.978, 0.978; third parties of rounds 31 and 34 and of retired round 52, and round
/// 50's bot nature, lost a line or two and their floors went down a point.
/// The floors are these figures rounded down (less a half point of the last digit shown); the
/// retired rounds' are those of training data (round 2's explicit requests lost a line there).
/// With the work rounds 34, 35 and 38 measured, round 30's explicit requests lost two lines
/// (0.983 → 0.974) and round 31's bot-nature questions one (0.971 → 0.965), as did retired
/// rounds 5 and 27 (bot nature) and 29 (explicit requests): their floors went down a point.
const ROUNDS: [(&str, [(&str, f64); 4]); 54] = [
    (
        "data/retired-blind/round1/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.96),
            ("bot_nature", 0.97),
            ("third_parties", 0.95),
        ],
    ),
    (
        "data/retired-blind/round2/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.94),
            ("bot_nature", 0.98),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round3/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.98),
            ("bot_nature", 0.96),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round4/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.97),
            ("bot_nature", 0.96),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round5/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.97),
            ("bot_nature", 0.95),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round6/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.95),
            ("bot_nature", 0.96),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round7/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.96),
            ("bot_nature", 0.95),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round8/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.95),
            ("bot_nature", 0.97),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round9/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.96),
            ("bot_nature", 0.96),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round10/",
        [
            ("explicit_requests", 0.95),
            ("escalations", 0.88),
            ("bot_nature", 0.95),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round11/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.91),
            ("bot_nature", 0.95),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round15/",
        [
            ("explicit_requests", 0.94),
            ("escalations", 0.89),
            ("bot_nature", 0.95),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round16/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.93),
            ("bot_nature", 0.96),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round19/",
        [
            ("explicit_requests", 0.94),
            ("escalations", 0.84),
            ("bot_nature", 0.95),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round21/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.96),
            ("bot_nature", 0.96),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round22/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.89),
            ("bot_nature", 0.96),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round23/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.95),
            ("bot_nature", 0.97),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round24/",
        [
            ("explicit_requests", 0.92),
            ("escalations", 0.95),
            ("bot_nature", 0.94),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round27/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.95),
            ("bot_nature", 0.95),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round29/",
        [
            ("explicit_requests", 0.90),
            ("escalations", 0.95),
            ("bot_nature", 0.95),
            ("third_parties", 0.96),
        ],
    ),
    (
        "data/retired-blind/round32/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.90),
            ("bot_nature", 0.98),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round33/",
        [
            ("explicit_requests", 0.96),
            ("escalations", 0.93),
            ("bot_nature", 0.94),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round36/",
        [
            ("explicit_requests", 0.96),
            ("escalations", 0.88),
            ("bot_nature", 0.94),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round37/",
        [
            ("explicit_requests", 0.88),
            ("escalations", 0.92),
            ("bot_nature", 0.95),
            ("third_parties", 0.96),
        ],
    ),
    (
        "data/retired-blind/round43/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.93),
            ("bot_nature", 0.98),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round44/",
        [
            ("explicit_requests", 0.95),
            ("escalations", 0.95),
            ("bot_nature", 0.99),
            ("third_parties", 0.97),
        ],
    ),
    (
        "data/retired-blind/round47/",
        [
            ("explicit_requests", 0.95),
            ("escalations", 0.92),
            ("bot_nature", 0.95),
            ("third_parties", 0.94),
        ],
    ),
    (
        "data/retired-blind/round48/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.94),
            ("bot_nature", 0.97),
            ("third_parties", 0.98),
        ],
    ),
    (
        "data/retired-blind/round51/",
        [
            ("explicit_requests", 0.99),
            ("escalations", 0.96),
            ("bot_nature", 0.97),
            ("third_parties", 0.99),
        ],
    ),
    (
        "data/retired-blind/round52/",
        [
            ("explicit_requests", 0.92),
            ("escalations", 0.95),
            ("bot_nature", 0.97),
            ("third_parties", 0.95),
        ],
    ),
    (
        "tests/blind/round12/",
        [
            ("explicit_requests", 0.96),
            ("escalations", 0.94),
            ("bot_nature", 0.97),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round13/",
        [
            ("explicit_requests", 0.94),
            ("escalations", 0.92),
            ("bot_nature", 0.96),
            ("third_parties", 0.99),
        ],
    ),
    (
        "tests/blind/round14/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.93),
            ("bot_nature", 0.96),
            ("third_parties", 0.98),
        ],
    ),
    (
        "tests/blind/round17/",
        [
            ("explicit_requests", 0.96),
            ("escalations", 0.94),
            ("bot_nature", 0.96),
            ("third_parties", 0.98),
        ],
    ),
    (
        "tests/blind/round18/",
        [
            ("explicit_requests", 0.93),
            ("escalations", 0.89),
            ("bot_nature", 0.96),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round20/",
        [
            ("explicit_requests", 0.94),
            ("escalations", 0.95),
            ("bot_nature", 0.97),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round25/",
        [
            ("explicit_requests", 0.94),
            ("escalations", 0.89),
            ("bot_nature", 0.96),
            ("third_parties", 0.95),
        ],
    ),
    (
        "tests/blind/round26/",
        [
            ("explicit_requests", 0.93),
            ("escalations", 0.93),
            ("bot_nature", 0.96),
            ("third_parties", 0.98),
        ],
    ),
    (
        "tests/blind/round28/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.94),
            ("bot_nature", 0.96),
            ("third_parties", 0.97),
        ],
    ),
    (
        "tests/blind/round30/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.97),
            ("bot_nature", 0.96),
            ("third_parties", 0.97),
        ],
    ),
    (
        "tests/blind/round31/",
        [
            ("explicit_requests", 0.87),
            ("escalations", 0.96),
            ("bot_nature", 0.96),
            ("third_parties", 00.93),
        ],
    ),
    (
        "tests/blind/round34/",
        [
            ("explicit_requests", 0.96),
            ("escalations", 0.93),
            ("bot_nature", 0.97),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round35/",
        [
            ("explicit_requests", 0.93),
            ("escalations", 0.95),
            ("bot_nature", 0.97),
            ("third_parties", 0.97),
        ],
    ),
    (
        "tests/blind/round38/",
        [
            ("explicit_requests", 0.96),
            ("escalations", 0.93),
            ("bot_nature", 0.96),
            ("third_parties", 0.97),
        ],
    ),
    (
        "tests/blind/round39/",
        [
            ("explicit_requests", 0.95),
            ("escalations", 0.93),
            ("bot_nature", 0.97),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round40/",
        [
            ("explicit_requests", 0.87),
            ("escalations", 0.94),
            ("bot_nature", 0.96),
            ("third_parties", 0.97),
        ],
    ),
    (
        "tests/blind/round41/",
        [
            ("explicit_requests", 0.97),
            ("escalations", 0.94),
            ("bot_nature", 0.95),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round42/",
        [
            ("explicit_requests", 0.90),
            ("escalations", 0.98),
            ("bot_nature", 0.96),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round45/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.96),
            ("bot_nature", 0.98),
            ("third_parties", 0.94),
        ],
    ),
    (
        "tests/blind/round46/",
        [
            ("explicit_requests", 0.91),
            ("escalations", 0.96),
            ("bot_nature", 0.96),
            ("third_parties", 0.95),
        ],
    ),
    (
        "tests/blind/round49/",
        [
            ("explicit_requests", 0.95),
            ("escalations", 0.92),
            ("bot_nature", 0.98),
            ("third_parties", 0.96),
        ],
    ),
    (
        "tests/blind/round50/",
        [
            ("explicit_requests", 0.94),
            ("escalations", 0.92),
            ("bot_nature", 0.97),
            ("third_parties", 0.97),
        ],
    ),
    (
        "tests/blind/round53/",
        [
            ("explicit_requests", 0.98),
            ("escalations", 0.93),
            ("bot_nature", 0.99),
            ("third_parties", 0.98),
        ],
    ),
    (
        "tests/blind/round54/",
        [
            ("explicit_requests", 0.91),
            ("escalations", 0.91),
            ("bot_nature", 0.96),
            ("third_parties", 0.96),
        ],
    ),
];

struct Line {
    no: usize,
    lang: String,
    turns: Vec<(TurnAuthor, String)>,
    expect: String,
}

fn load(round: &str, family: &str) -> Vec<Line> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{round}{family}.jsonl"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let no = i + 1;
        let v: serde_json::Value =
            serde_json::from_str(raw).unwrap_or_else(|e| panic!("{family} line {no}: {e}"));
        let expect = v["expect"].as_str().expect("expect").to_owned();
        assert!(
            LABELS.contains(&expect.as_str()),
            "{family} line {no}: unknown label {expect}"
        );
        let turns = match v["text"].as_str() {
            Some(text) => vec![(TurnAuthor::Visitor, text.to_owned())],
            None => v["messages"]
                .as_array()
                .unwrap_or_else(|| panic!("{family} line {no}: text or messages"))
                .iter()
                .map(|m| {
                    let author = match m["author"].as_str() {
                        Some("visitor") => TurnAuthor::Visitor,
                        Some("bot") => TurnAuthor::Bot,
                        other => panic!("{family} line {no}: bad author {other:?}"),
                    };
                    (author, m["text"].as_str().expect("text").to_owned())
                })
                .collect(),
        };
        out.push(Line {
            no,
            lang: v["lang"].as_str().expect("lang").to_owned(),
            turns,
            expect,
        });
    }
    out
}

fn right(expect: &str, got: &str) -> bool {
    match expect {
        "user_request" => got == "user_request",
        "handoff" => got != "none",
        "not_request" => got != "user_request",
        _ => got == "none",
    }
}

#[derive(Default)]
struct Tally {
    right: usize,
    all: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.all += 1;
        self.right += usize::from(ok);
    }
    fn rate(&self) -> f64 {
        if self.all == 0 {
            1.0
        } else {
            self.right as f64 / self.all as f64
        }
    }
}

#[test]
fn blind_batches() {
    let verbose = std::env::var_os("TRIGGER_EVAL_VERBOSE").is_some();
    let settings = TriggerSettings::default();
    let mut failures = Vec::new();
    for (round, floors) in ROUNDS {
        println!("{round}");
        println!(
            "family             lines  accuracy   by label (right/all)            by language"
        );
        for family in FAMILIES {
            let lines = load(round, family);
            assert!(
                lines.len() >= MIN_LINES,
                "{family}: {} lines, want at least {MIN_LINES}",
                lines.len()
            );
            let mut total = Tally::default();
            let mut by_label: BTreeMap<&str, Tally> = BTreeMap::new();
            let mut by_lang: BTreeMap<String, Tally> = BTreeMap::new();
            for line in &lines {
                let turns: Vec<Turn<'_>> = line
                    .turns
                    .iter()
                    .map(|(author, text)| Turn {
                        author: *author,
                        text,
                    })
                    .collect();
                let c = classify(&turns, &settings);
                let got = c.trigger.map_or("none", |t| t.as_str());
                let ok = right(&line.expect, got);
                total.add(ok);
                by_label
                    .entry(LABELS.iter().find(|l| **l == line.expect).unwrap())
                    .or_default()
                    .add(ok);
                by_lang.entry(line.lang.clone()).or_default().add(ok);
                if !ok && verbose {
                    let text = line.turns.last().map_or("", |t| t.1.as_str());
                    println!(
                        "  miss {family}:{} [{}] want {} got {got}: {text}",
                        line.no, line.lang, line.expect
                    );
                }
            }
            let labels: Vec<String> = by_label
                .iter()
                .map(|(l, t)| format!("{l} {}/{}", t.right, t.all))
                .collect();
            let langs: Vec<String> = by_lang
                .iter()
                .map(|(l, t)| format!("{l} {:.2}", t.rate()))
                .collect();
            println!(
                "{family:<18} {:>5}  {:>8.3}   {:<32} {}",
                total.all,
                total.rate(),
                labels.join(", "),
                langs.join(" ")
            );
            let floor = floors
                .iter()
                .find(|(f, _)| *f == family)
                .map_or(1.0, |f| f.1);
            if total.rate() < floor {
                failures.push(format!("{round}{family}: {:.3} < {floor}", total.rate()));
            }
        }
    }
    assert!(failures.is_empty(), "below the floor: {failures:?}");
}
