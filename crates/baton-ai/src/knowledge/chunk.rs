//! Markdown documents cut into chunks for retrieval and citation.
//!
//! A chunk never crosses a heading: each keeps the path of headings above it ("Returns › Refunds"),
//! which is how answers name their source. Inside a section, paragraphs are packed
//! up to [`MAX_CHUNK_CHARS`]; a longer paragraph is cut at line ends, then sentence ends, then
//! spaces. Fenced code blocks are kept whole where they fit and never read as headings.

/// The largest chunk, in characters. Small enough to quote as an answer, large enough to keep a
/// paragraph and its list together.
pub const MAX_CHUNK_CHARS: usize = 800;

/// A piece of a document: its text (Markdown, as written) and the headings above it, outermost
/// first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub heading_path: Vec<String>,
    pub text: String,
}

/// Cuts a Markdown body into chunks of at most `max_chars` characters each.
pub fn chunk_markdown(body: &str, max_chars: usize) -> Vec<Chunk> {
    let max_chars = max_chars.max(16);
    let mut chunker = Chunker {
        max_chars,
        chunks: Vec::new(),
        headings: Vec::new(),
        paragraphs: Vec::new(),
        paragraph: Vec::new(),
    };
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim();
        if let Some(marker) = fence {
            chunker.paragraph.push(line);
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            chunker.paragraph.push(line);
            continue;
        }
        if let Some((level, title)) = atx_heading(line) {
            chunker.heading(level, title);
            continue;
        }
        if let Some(level) = setext_underline(trimmed)
            && chunker.paragraph.len() == 1
        {
            let title = clean_heading(chunker.paragraph.pop().unwrap_or_default().trim());
            chunker.heading(level, title);
            continue;
        }
        if trimmed.is_empty() || is_thematic_break(trimmed) {
            chunker.end_paragraph();
        } else {
            chunker.paragraph.push(line);
        }
    }
    chunker.end_section();
    chunker.chunks
}

struct Chunker<'a> {
    max_chars: usize,
    chunks: Vec<Chunk>,
    headings: Vec<(usize, String)>,
    paragraphs: Vec<String>,
    paragraph: Vec<&'a str>,
}

impl Chunker<'_> {
    fn heading(&mut self, level: usize, title: String) {
        self.end_section();
        while self.headings.last().is_some_and(|(l, _)| *l >= level) {
            self.headings.pop();
        }
        if !title.is_empty() {
            self.headings.push((level, title));
        }
    }

    fn end_paragraph(&mut self) {
        if !self.paragraph.is_empty() {
            let text = self.paragraph.join("\n");
            self.paragraph.clear();
            let text = text.trim_end();
            if !text.trim().is_empty() {
                self.paragraphs.push(text.to_owned());
            }
        }
    }

    fn end_section(&mut self) {
        self.end_paragraph();
        if self.paragraphs.is_empty() {
            return;
        }
        let path: Vec<String> = self.headings.iter().map(|(_, t)| t.clone()).collect();
        let mut current = String::new();
        let mut current_chars = 0;
        let paragraphs = std::mem::take(&mut self.paragraphs);
        for paragraph in paragraphs {
            let pieces = if paragraph.chars().count() > self.max_chars {
                split_long(&paragraph, self.max_chars)
            } else {
                vec![paragraph]
            };
            for piece in pieces {
                let chars = piece.chars().count();
                if current_chars > 0 && current_chars + 2 + chars > self.max_chars {
                    self.chunks.push(Chunk {
                        heading_path: path.clone(),
                        text: std::mem::take(&mut current),
                    });
                    current_chars = 0;
                }
                if current_chars > 0 {
                    current.push_str("\n\n");
                    current_chars += 2;
                }
                current.push_str(&piece);
                current_chars += chars;
            }
        }
        if current_chars > 0 {
            self.chunks.push(Chunk {
                heading_path: path,
                text: current,
            });
        }
    }
}

/// `# Title` (up to three spaces of indent, one to six `#`, then a space or the end of the line).
fn atx_heading(line: &str) -> Option<(usize, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.bytes().take_while(|b| *b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let after = &rest[level..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let title = after.trim().trim_end_matches('#').trim_end();
    Some((level, clean_heading(title)))
}

/// `===` under a line makes it a level-1 heading, `---` a level-2 one.
fn setext_underline(trimmed: &str) -> Option<usize> {
    if trimmed.len() >= 2 && trimmed.bytes().all(|b| b == b'=') {
        Some(1)
    } else if trimmed.len() >= 2 && trimmed.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

fn is_thematic_break(trimmed: &str) -> bool {
    let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["*", "-", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

/// Heading text without inline emphasis markers, for citations.
fn clean_heading(title: &str) -> String {
    title
        .chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Cuts an over-long paragraph into pieces of at most `max` characters: at line ends first, then
/// after sentence ends, then at spaces, and only as a last resort inside a word.
fn split_long(text: &str, max: usize) -> Vec<String> {
    let mut units: Vec<(&'static str, String)> = Vec::new();
    for line in text.lines() {
        let sep = if units.is_empty() { "" } else { "\n" };
        if line.chars().count() <= max {
            units.push((sep, line.to_owned()));
            continue;
        }
        let mut first = true;
        for sentence in sentences(line) {
            let sep = if first { sep } else { " " };
            first = false;
            if sentence.chars().count() <= max {
                units.push((sep, sentence.to_owned()));
                continue;
            }
            let mut first_word = true;
            for word in sentence.split_whitespace() {
                let sep = if first_word { sep } else { " " };
                first_word = false;
                let chars: Vec<char> = word.chars().collect();
                for (i, piece) in chars.chunks(max).enumerate() {
                    units.push((if i == 0 { sep } else { "" }, piece.iter().collect()));
                }
            }
        }
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for (sep, unit) in units {
        let chars = unit.chars().count();
        if current_chars > 0 && current_chars + sep.chars().count() + chars > max {
            pieces.push(std::mem::take(&mut current));
            current_chars = 0;
        }
        if current_chars > 0 {
            current.push_str(sep);
            current_chars += sep.chars().count();
        }
        current.push_str(&unit);
        current_chars += chars;
    }
    if current_chars > 0 {
        pieces.push(current);
    }
    pieces
}

/// Sentences of a line, split after `.`, `!`, `?` (or `。`) followed by a space.
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '。')
            && chars.peek().is_some_and(|(_, next)| next.is_whitespace())
        {
            let end = i + c.len_utf8();
            let sentence = line[start..end].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = end;
        }
    }
    let rest = line[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(chunks: &[Chunk]) -> Vec<String> {
        chunks.iter().map(|c| c.heading_path.join(" › ")).collect()
    }

    #[test]
    fn sections_become_chunks_with_their_heading_path() {
        let doc = "Intro text.\n\n# Shipping\n\nWe ship worldwide.\n\n## Costs\n\nFree over 50 €.\n\n### Express\n\nNext day, 9 €.\n\n## Times\n\nTwo to five days.\n\n# Returns\n\n30 days.";
        let chunks = chunk_markdown(doc, MAX_CHUNK_CHARS);
        assert_eq!(
            paths(&chunks),
            [
                "",
                "Shipping",
                "Shipping › Costs",
                "Shipping › Costs › Express",
                "Shipping › Times",
                "Returns"
            ]
        );
        assert_eq!(chunks[0].text, "Intro text.");
        assert_eq!(chunks[3].text, "Next day, 9 €.");
        assert_eq!(chunks[5].text, "30 days.");
    }

    #[test]
    fn paragraphs_of_a_section_are_packed_up_to_the_bound() {
        let para = "word ".repeat(30).trim().to_owned(); // 149 chars
        let doc = format!("# A\n\n{para}\n\n{para}\n\n{para}\n\n{para}");
        let chunks = chunk_markdown(&doc, 400);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].text, format!("{para}\n\n{para}"));
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 400));
        assert!(chunks.iter().all(|c| c.heading_path == ["A"]));
    }

    #[test]
    fn a_long_paragraph_is_cut_at_sentence_ends_within_the_bound() {
        let sentence = "This sentence is exactly fifty characters long ok.";
        let para = [sentence; 10].join(" ");
        let chunks = chunk_markdown(&para, 120);
        assert!(chunks.len() >= 5);
        for chunk in &chunks {
            assert!(chunk.text.chars().count() <= 120, "{:?}", chunk.text);
            assert!(
                chunk.text.ends_with("ok."),
                "cut mid-sentence: {:?}",
                chunk.text
            );
        }
        let rejoined: Vec<&str> = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(rejoined.join(" "), para);
    }

    #[test]
    fn an_unbroken_word_is_cut_as_a_last_resort() {
        let word = "x".repeat(100);
        let chunks = chunk_markdown(&word, 30);
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 30));
        assert_eq!(
            chunks.iter().map(|c| c.text.as_str()).collect::<String>(),
            word
        );
    }

    #[test]
    fn hashes_inside_code_fences_are_not_headings() {
        let doc = "# Setup\n\n```sh\n# install\ncurl example.com\n```\n\nDone.";
        let chunks = chunk_markdown(doc, MAX_CHUNK_CHARS);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].heading_path, ["Setup"]);
        assert!(chunks[0].text.contains("# install"));
        assert!(chunks[0].text.ends_with("Done."));
    }

    #[test]
    fn setext_headings_and_closing_hashes_are_understood() {
        let doc = "Billing\n=======\n\nInvoices monthly.\n\nRefunds\n-------\n\nWithin 14 days.\n\n## **Taxes** ##\n\nVAT included.";
        let chunks = chunk_markdown(doc, MAX_CHUNK_CHARS);
        assert_eq!(
            paths(&chunks),
            ["Billing", "Billing › Refunds", "Billing › Taxes"]
        );
    }

    #[test]
    fn empty_sections_and_hashtags_produce_no_headings() {
        let doc = "# Empty\n\n# Full\n\n#hashtag is text\n\n---\n\nAfter a rule.";
        let chunks = chunk_markdown(doc, MAX_CHUNK_CHARS);
        assert_eq!(paths(&chunks), ["Full"]);
        assert_eq!(chunks[0].text, "#hashtag is text\n\nAfter a rule.");
    }

    #[test]
    fn multibyte_text_is_measured_in_characters() {
        let para = "é".repeat(50);
        let chunks = chunk_markdown(&para, 20);
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 20));
        assert_eq!(
            chunks.iter().map(|c| c.text.as_str()).collect::<String>(),
            para
        );
    }
}
