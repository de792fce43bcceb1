//! How names compare, in one place for every layer: file names, link targets, aliases and
//! tags all match after NFC normalisation and lower-casing ([`fold`]), as in Obsidian.

use unicode_normalization::UnicodeNormalization;

/// Names compare case-insensitively after NFC normalisation (macOS stores names in NFD).
pub fn fold(text: &str) -> String {
    // Most names are ASCII, which NFC leaves alone: skip the normaliser for them.
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else if unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        text.to_lowercase()
    } else {
        text.nfc().collect::<String>().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_is_nfc_and_case_insensitive() {
        assert_eq!(fold("Tome\u{301}s"), fold("TOMÉS"));
    }
}
