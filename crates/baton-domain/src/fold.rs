//! Accent folding: the one table that makes "Représentant", "representant" and "REPRESENTANT" the
//! same word, for trigger detection and for knowledge search alike.

/// The plain letters a lower-case Latin letter with a diacritic folds to ("é" → "e", "ß" → "ss",
/// "æ" → "ae"), or `None` when `c` has none to lose. Give it lower-case letters
/// ([`char::to_lowercase`] first).
#[inline]
pub fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold_accent;

    #[test]
    fn accented_letters_fold_and_plain_ones_do_not() {
        assert_eq!(fold_accent('é'), Some("e"));
        assert_eq!(fold_accent('ß'), Some("ss"));
        assert_eq!(fold_accent('ã'), Some("a"));
        assert_eq!(fold_accent('e'), None);
        assert_eq!(fold_accent('ж'), None);
        // Upper case is the caller's to lower first.
        for c in "ÀÉÎÕÜÇÑ".chars() {
            let lower = c.to_lowercase().next().unwrap();
            assert!(fold_accent(lower).is_some(), "{c}");
        }
    }
}
