//! A small JSON reader that keeps the byte span of every string, and maps a string's
//! decoded text back to its source bytes.
//!
//! `serde_json` gives values without positions; a canvas finding must point at the exact
//! JSON string (or at a link inside a text node's string), and `mv` must rewrite bytes
//! there without re-serialising the file. JSON's grammar is small enough that a reader of
//! our own is shorter than adapting a general one; it never panics and bounds nesting.

use std::ops::Range;

/// Byte offsets into the JSON text.
pub type Span = Range<usize>;

/// Deepest nesting read; a canvas is three levels deep.
const MAX_DEPTH: usize = 64;

/// A JSON value; strings keep their decoded text and the span of their contents (between
/// the quotes).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number,
    String { value: String, span: Span },
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string's decoded text and contents span.
    pub fn as_string(&self) -> Option<(&str, &Span)> {
        match self {
            Json::String { value, span } => Some((value, span)),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// Reads a whole JSON document; `None` when it is not valid JSON (or nests too deep).
pub fn parse(text: &str) -> Option<Json> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    let value = reader.value(0)?;
    reader.blanks();
    (reader.at == text.len()).then_some(value)
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
}

impl Reader<'_> {
    fn blanks(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.blanks();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.blanks();
        match self.bytes.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Some(Json::Object(members));
                }
                loop {
                    self.blanks();
                    let Json::String { value: key, .. } = self.string()? else {
                        return None;
                    };
                    if !self.eat(b':') {
                        return None;
                    }
                    members.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Some(Json::Object(members));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string(),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'n' => self.word("null", Json::Null),
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while matches!(
                    self.bytes.get(self.at),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.at += 1;
                }
                serde_json::from_str::<serde_json::Number>(self.text.get(start..self.at)?)
                    .ok()
                    .map(|_| Json::Number)
            }
            _ => None,
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Option<Json> {
        let end = self.at + word.len();
        (self.text.get(self.at..end) == Some(word)).then(|| {
            self.at = end;
            value
        })
    }

    /// A string starting at `"`; its value decoded, its span the bytes between the quotes.
    fn string(&mut self) -> Option<Json> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        let mut end = start;
        loop {
            match self.bytes.get(end)? {
                b'"' => break,
                b'\\' => end += 2,
                b if *b < 0x20 => return None,
                _ => end += 1,
            }
        }
        let (value, _) = decode(self.text.get(start..end)?)?;
        self.at = end + 1;
        Some(Json::String {
            value,
            span: start..end,
        })
    }
}

/// Decodes a JSON string's contents (without quotes). Returns the text and, for each byte
/// offset of the text (and its end), the offset in `raw` it comes from, so that a span of
/// the decoded text maps back to the source.
pub fn decode(raw: &str) -> Option<(String, Vec<usize>)> {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        let from = i;
        let c = if bytes[i] == b'\\' {
            let escape = *bytes.get(i + 1)?;
            i += 2;
            match escape {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let unit = hex4(raw, i)?;
                    i += 4;
                    if (0xD800..0xDC00).contains(&unit) {
                        // A surrogate pair: `\uD83D\uDE00`.
                        if raw.get(i..i + 2) != Some("\\u") {
                            return None;
                        }
                        let low = hex4(raw, i + 2)?;
                        i += 6;
                        if !(0xDC00..0xE000).contains(&low) {
                            return None;
                        }
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                    } else {
                        char::from_u32(unit)?
                    }
                }
                _ => return None,
            }
        } else {
            let c = raw.get(i..)?.chars().next()?;
            i += c.len_utf8();
            c
        };
        for _ in 0..c.len_utf8() {
            map.push(from);
        }
        out.push(c);
    }
    map.push(bytes.len());
    Some((out, map))
}

fn hex4(raw: &str, at: usize) -> Option<u32> {
    let digits = raw.get(at..at + 4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// `text` as the contents of a JSON string: quotes, backslashes and control characters
/// escaped, everything else as it is (non-ASCII stays readable, as Obsidian writes it).
pub fn escape(text: &str) -> String {
    let quoted = serde_json::Value::from(text).to_string();
    quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_their_spans() {
        let text = r#"{"nodes": [{"file": "A \"b\".md", "n": -1.5e3, "ok": true}], "x": null}"#;
        let json = parse(text).expect("valid");
        let nodes = json.get("nodes").and_then(Json::as_array).expect("nodes");
        let (file, span) = nodes[0]
            .get("file")
            .and_then(Json::as_string)
            .expect("file");
        assert_eq!(file, "A \"b\".md");
        assert_eq!(&text[span.clone()], r#"A \"b\".md"#);
        assert!(parse("{\"a\": 1,}").is_none());
        assert!(parse("[1] x").is_none());
        assert!(parse(&"[".repeat(100_000)).is_none());
    }

    #[test]
    fn decoded_offsets_map_to_the_source() {
        let raw = r"a\n\u00e9[[x]]\ud83d\ude00!";
        let (text, map) = decode(raw).expect("valid");
        assert_eq!(text, "a\né[[x]]😀!");
        let link = text.find("[[").expect("link");
        assert_eq!(&raw[map[link]..map[link + 5]], "[[x]]");
        assert_eq!(map[text.len()], raw.len());
        assert_eq!(escape("a \"q\"\n\\ é"), r#"a \"q\"\n\\ é"#);
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_without_panic(text in "\\PC{0,40}") {
            let _ = parse(&text);
            let _ = decode(&text);
        }

        #[test]
        fn escaped_strings_decode_back(text in "\\PC{0,20}") {
            let (decoded, map) = decode(&escape(&text)).expect("escape gives valid JSON");
            proptest::prop_assert_eq!(&decoded, &text);
            proptest::prop_assert_eq!(map.len(), text.len() + 1);
        }
    }
}
