//! YAML 1.2 core-schema resolution of one scalar (null, bool, int, float, string),
//! honouring the explicit core tags `!!str`, `!!null`, `!!bool`, `!!int`, `!!float`.

use super::{Node, ScalarStyle, Span, Style, Value};

/// Resolves a scalar's decoded `text`. `plain` is false for quoted and block scalars,
/// which are strings unless a core tag says otherwise. `core_tag` is the core-schema
/// suffix of an explicit tag (`"int"` for `!!int`); `tagged` is true for any explicit
/// tag, so `!!binary`, `!foo` and the non-specific `!` keep the text as a string.
pub(super) fn resolve(text: &str, plain: bool, tagged: bool, core_tag: Option<&str>) -> Value {
    let string = || Value::String(text.to_owned());
    match core_tag {
        // A value that does not fit its tag stays a string: loading never fails on it.
        Some("null") => null(text).unwrap_or_else(string),
        Some("bool") => bool(text).unwrap_or_else(string),
        Some("int") => int(text).unwrap_or_else(string),
        Some("float") => float(text)
            .or_else(|| match int(text) {
                Some(Value::Int(i)) => Some(Value::Float(i as f64)),
                other => other,
            })
            .unwrap_or_else(string),
        _ if tagged || !plain || !may_be_non_string(text) => string(),
        _ => null(text)
            .or_else(|| bool(text))
            .or_else(|| int(text))
            .or_else(|| float(text))
            .unwrap_or_else(string),
    }
}

/// Whether a plain scalar can be anything but a string: every null, bool, int and float
/// below starts with one of these bytes (or is empty), so most text is decided at once.
fn may_be_non_string(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(first) => matches!(
            first,
            b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'+' | b'-' | b'.' | b'0'..=b'9'
        ),
    }
}

fn null(text: &str) -> Option<Value> {
    matches!(text, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null)
}

fn bool(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`. A decimal too big for i64 becomes a
/// float; an octal or hex one stays a string (no sensible float reading).
fn int(text: &str) -> Option<Value> {
    if let Some(digits) = text.strip_prefix("0o") {
        return radix(digits, 8);
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return radix(digits, 16);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match text.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(text.parse::<f64>().ok()?),
    })
}

fn radix(digits: &str, radix: u32) -> Option<Value> {
    // from_str_radix would also accept a sign, which the core schema does not.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    i64::from_str_radix(digits, radix).ok().map(Value::Int)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)`,
/// `\.(nan|NaN|NAN)`. Checked by hand because Rust's parser also takes `inf`, `NaN`, ...
fn float(text: &str) -> Option<Value> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
        return Some(Value::Float(sign * f64::INFINITY));
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::Float(f64::NAN));
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole)
        && fraction.is_none_or(digits)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    text.parse::<f64>().ok().map(Value::Float)
}

/// A scalar node resolved by the core schema (with its explicit tag, if any): what both
/// loaders build for a scalar.
pub(super) fn node(
    text: &str,
    style: ScalarStyle,
    span: Span,
    tag: Option<&granit_parser::Tag>,
) -> Node {
    let value = resolve(
        text,
        style == ScalarStyle::Plain,
        tag.is_some(),
        tag.and_then(granit_parser::Tag::core_suffix),
    );
    let raw = match value {
        Value::String(_) => None,
        _ => Some(text.into()),
    };
    Node {
        value,
        span,
        style: Style::Scalar(style),
        tag: tag.map(granit_parser::Tag::original),
        anchored: false,
        alias: false,
        raw,
    }
}
