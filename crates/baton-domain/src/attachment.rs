//! Attachments: what a sent file is (decided from its first bytes, not from what the sender
//! claims), the safe name it is shown under, and how it may be served.
//!
//! Pure rules only: the bytes themselves are stored and read elsewhere (the server's blob store).

use std::fmt;

/// The longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// How many of a file's first bytes [`sniff`] needs to see.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// A file type Baton accepts, identified from the file's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileType {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    Text,
    Csv,
    Zip,
    Docx,
    Xlsx,
    Pptx,
    Doc,
    Xls,
    Ppt,
}

impl FileType {
    /// Every accepted type, in the order the defaults list them.
    pub const ALL: [FileType; 14] = [
        FileType::Png,
        FileType::Jpeg,
        FileType::Gif,
        FileType::Webp,
        FileType::Pdf,
        FileType::Text,
        FileType::Csv,
        FileType::Zip,
        FileType::Docx,
        FileType::Xlsx,
        FileType::Pptx,
        FileType::Doc,
        FileType::Xls,
        FileType::Ppt,
    ];

    /// The content type stored and served for it.
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Gif => "image/gif",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
            FileType::Text => "text/plain",
            FileType::Csv => "text/csv",
            FileType::Zip => "application/zip",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::Doc => "application/msword",
            FileType::Xls => "application/vnd.ms-excel",
            FileType::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    pub fn parse(content_type: &str) -> Option<FileType> {
        FileType::ALL
            .into_iter()
            .find(|t| t.content_type().eq_ignore_ascii_case(content_type.trim()))
    }

    /// Raster images a browser may show inline: their magic bytes were checked, and none of
    /// them can carry script (SVG is never accepted).
    pub fn is_inline_image(self) -> bool {
        matches!(
            self,
            FileType::Png | FileType::Jpeg | FileType::Gif | FileType::Webp
        )
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.content_type())
    }
}

/// The lower-case extension of a file name, if it has one.
fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// What a file is, from its first bytes (`head`, at least [`SNIFF_BYTES`] of them when the file
/// is that long) and, only where the bytes leave a choice (which Office format a ZIP or OLE file
/// is, text or CSV), its name. `None`: not a type Baton accepts (executables, HTML, SVG, unknown
/// binary data).
pub fn sniff(head: &[u8], name: &str) -> Option<FileType> {
    let ext = extension(name);
    let ext = ext.as_deref();
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if head.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(FileType::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(FileType::Gif);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(FileType::Webp);
    }
    if head.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(match ext {
            Some("docx") => FileType::Docx,
            Some("xlsx") => FileType::Xlsx,
            Some("pptx") => FileType::Pptx,
            _ => FileType::Zip,
        });
    }
    if head.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return match ext {
            Some("doc") => Some(FileType::Doc),
            Some("xls") => Some(FileType::Xls),
            Some("ppt") => Some(FileType::Ppt),
            _ => None,
        };
    }
    // Text has no magic bytes: plain text or CSV by name, and only if it reads as text (UTF-8
    // without NULs) and is not markup a browser would run.
    match ext {
        Some("txt") | Some("log") | Some("csv") if looks_like_text(head) => Some(match ext {
            Some("csv") => FileType::Csv,
            _ => FileType::Text,
        }),
        _ => None,
    }
}

/// UTF-8 without binary control bytes (tabs, line and page breaks and escapes are text; a
/// character cut at the end of `head` is allowed), and not HTML, SVG or XML.
fn looks_like_text(head: &[u8]) -> bool {
    let binary = |b: &u8| matches!(b, 0x00..=0x08 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f);
    if head.iter().any(binary) {
        return false;
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            // Only the last character was cut off.
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    let start = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .get(..16)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    !["<!doctype", "<html", "<svg", "<?xml", "<script"]
        .iter()
        .any(|markup| start.starts_with(markup))
}

/// The name a file is shown under: the sender's name without directories (either kind of slash)
/// or control characters, trimmed, at most [`MAX_NAME_CHARS`] characters (the extension kept
/// when the name is cut), `"file"` when nothing is left. Never used as a path: bytes are
/// stored by their hash.
pub fn display_name(raw: &str) -> String {
    let last = raw
        .rsplit(['/', '\\'])
        .find(|segment| !segment.trim().is_empty())
        .unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        return "file".to_owned();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned.to_owned();
    }
    // Keep a short extension so the file still opens with the right program.
    let ext = extension(cleaned)
        .filter(|e| e.chars().count() <= 10)
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let keep = MAX_NAME_CHARS - ext.chars().count();
    let mut cut: String = cleaned.chars().take(keep).collect();
    cut.push_str(&ext);
    cut
}

/// A file's size as people read it: `"512 bytes"`, `"12.3 KB"`, `"4.0 MB"` (powers of 1024,
/// one decimal above a kilobyte), for transcripts, tickets and notes to FreshChat agents.
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    const GB: u64 = 1024 * MB;
    // Values are at most a few gigabytes, so the f64 conversion is exact enough for one decimal.
    #[allow(clippy::cast_precision_loss)]
    let scaled = |unit: u64| bytes as f64 / unit as f64;
    match bytes {
        1 => "1 byte".to_owned(),
        b if b < KB => format!("{b} bytes"),
        b if b < MB => format!("{:.1} KB", scaled(KB)),
        b if b < GB => format!("{:.1} MB", scaled(MB)),
        _ => format!("{:.1} GB", scaled(GB)),
    }
}

/// The `Content-Disposition` header for serving a file: `inline` only for raster images,
/// `attachment` (a download) for everything else, with the name in RFC 5987 form.
pub fn content_disposition(file_type: Option<FileType>, name: &str) -> String {
    let disposition = if file_type.is_some_and(FileType::is_inline_image) {
        "inline"
    } else {
        "attachment"
    };
    let mut encoded = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    // An ASCII fallback for old clients, then the exact name.
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1024), "1.0 KB");
        assert_eq!(human_size(12_600), "12.3 KB");
        assert_eq!(human_size(10 * 1024 * 1024), "10.0 MB");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024), "3.0 GB");
    }

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", "x.pdf"),
            Some(FileType::Png)
        );
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0], "a"), Some(FileType::Jpeg));
        assert_eq!(sniff(b"GIF89a..", "a.txt"), Some(FileType::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", "a"), Some(FileType::Webp));
        assert_eq!(sniff(b"%PDF-1.7", "a.png"), Some(FileType::Pdf));
        assert_eq!(sniff(b"PK\x03\x04rest", "a.zip"), Some(FileType::Zip));
        assert_eq!(
            sniff(b"PK\x03\x04rest", "Report.DOCX"),
            Some(FileType::Docx)
        );
        assert_eq!(sniff(b"PK\x03\x04rest", "b.xlsx"), Some(FileType::Xlsx));
        assert_eq!(
            sniff(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], "old.xls"),
            Some(FileType::Xls)
        );
    }

    #[test]
    fn text_needs_a_text_name_and_text_content() {
        assert_eq!(sniff(b"hello\n", "notes.txt"), Some(FileType::Text));
        assert_eq!(sniff(b"a,b\n1,2\n", "data.csv"), Some(FileType::Csv));
        assert_eq!(sniff(b"hello\n", "notes"), None);
        assert_eq!(sniff(b"bin\0ary", "notes.txt"), None);
        assert_eq!(sniff(&[0xff, 0xfe, 0x00], "notes.txt"), None);
        // A multi-byte character cut by the sniffing window is still text.
        assert_eq!(
            sniff("é".as_bytes()[..1].as_ref(), "a.txt"),
            Some(FileType::Text)
        );
    }

    #[test]
    fn markup_and_programs_are_refused() {
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'>", "a.svg"),
            None
        );
        assert_eq!(sniff(b"  <!DOCTYPE html><script>", "a.txt"), None);
        assert_eq!(sniff(b"<svg onload=alert(1)>", "a.txt"), None);
        assert_eq!(sniff(b"MZ\x90\0", "setup.exe"), None);
        assert_eq!(sniff(b"\x7fELF", "a.txt"), None);
        assert_eq!(sniff(b"", "empty.txt"), Some(FileType::Text));
    }

    #[test]
    fn display_names_lose_directories_and_control_characters() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\v\\photo.png"), "photo.png");
        assert_eq!(display_name("a\u{0}b\u{7}\tc\u{85}.txt"), "abc.txt");
        assert_eq!(display_name("dir/"), "dir");
        assert_eq!(display_name("../.."), "file");
        assert_eq!(display_name(".htaccess"), "htaccess");
        assert_eq!(display_name(""), "file");
        let long = format!("{}.pdf", "n".repeat(10_000));
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with("n.pdf"));
    }

    #[test]
    fn only_raster_images_are_inline() {
        assert!(content_disposition(Some(FileType::Png), "a.png").starts_with("inline;"));
        assert!(content_disposition(Some(FileType::Pdf), "a.pdf").starts_with("attachment;"));
        assert!(content_disposition(None, "a").starts_with("attachment;"));
        assert_eq!(
            content_disposition(Some(FileType::Text), "naïve \"x\".txt"),
            "attachment; filename=\"na_ve _x_.txt\"; filename*=UTF-8''na%C3%AFve%20%22x%22.txt"
        );
    }

    #[test]
    fn content_types_round_trip() {
        for t in FileType::ALL {
            assert_eq!(FileType::parse(t.content_type()), Some(t));
        }
    }
}
