//! Reading date values in the format `[dates] format` names: `date`, `datetime`,
//! `date-or-datetime` or a strftime pattern. The configuration reads that setting into a
//! [`Format`] once, refusing one that cannot read dates; the `dates/*` rules read values
//! with it.
//!
//! The ISO formats are read by hand rather than by jiff's lenient parsers, so that
//! `2025-1-6` is rejected and an impossible value says which part does not exist
//! (`February 2025 has 28 days`, `hour 25 does not exist`). Strftime patterns are read by
//! `jiff::fmt::strtime`; the day-of-month check is ours for the same reason.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::strtime::{self, BrokenDownTime};
use jiff::tz::{Offset, TimeZone};

use crate::suggest;

/// The names `[dates] format` accepts besides a strftime pattern.
pub const KEYWORDS: [&str; 3] = ["date", "datetime", "date-or-datetime"];

/// A date value as read. A date alone stands for the start of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub civil: DateTime,
    /// The instant, when the value carried an offset or a time zone.
    pub instant: Option<Timestamp>,
}

impl Moment {
    pub fn date(&self) -> Date {
        self.civil.date()
    }

    /// Whether `self` is later than `other`: as instants when both have one, otherwise
    /// as civil date-times (a zone-less value has no instant to compare).
    pub fn is_after(&self, other: &Moment) -> bool {
        match (self.instant, other.instant) {
            (Some(a), Some(b)) => a > b,
            _ => self.civil > other.civil,
        }
    }
}

/// Why a text is not a date in the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The text does not have the format's shape; `help` says what probably went wrong.
    Shape { help: Option<String> },
    /// The shape fits but a part does not exist, e.g. `month 13 does not exist`.
    /// `in_time` when the part is the time of day or the offset.
    Range { reason: String, in_time: bool },
}

impl Problem {
    fn shape() -> Problem {
        Problem::Shape { help: None }
    }

    fn date(reason: String) -> Problem {
        Problem::Range {
            reason,
            in_time: false,
        }
    }

    fn time(reason: String) -> Problem {
        Problem::Range {
            reason,
            in_time: true,
        }
    }
}

/// Whether an ISO value may, must or must not have a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeOfDay {
    Forbidden,
    Required,
    Optional,
}

/// The configured format: parsed and checked once, when the configuration loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Date,
    DateTime,
    DateOrDateTime,
    Pattern(String),
}

/// Written as in `[dates] format` (the configuration's schema shows the default so).
impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The date every example in a message shows, and that patterns are checked against.
const SAMPLE: DateTime = jiff::civil::date(2025, 11, 6).at(14, 30, 0, 0);

impl Format {
    /// The format `format` names, whether or not it can read dates (see [`Format::validate`]).
    pub fn new(format: &str) -> Format {
        match format {
            "date" => Format::Date,
            "datetime" => Format::DateTime,
            "date-or-datetime" => Format::DateOrDateTime,
            pattern => Format::Pattern(pattern.to_owned()),
        }
    }

    /// The format as written in `[dates] format`.
    pub fn as_str(&self) -> &str {
        match self {
            Format::Date => KEYWORDS[0],
            Format::DateTime => KEYWORDS[1],
            Format::DateOrDateTime => KEYWORDS[2],
            Format::Pattern(pattern) => pattern,
        }
    }

    /// Checks once that the format can read dates at all: a strftime pattern must format
    /// a date and read it back. The error is a clause about the pattern, e.g.
    /// "is not a valid strftime pattern: ...".
    pub fn validate(&self) -> Result<(), String> {
        let Format::Pattern(pattern) = self else {
            return Ok(());
        };
        if !pattern.contains('%') {
            let mut reason = format!(
                "is neither {} nor a strftime pattern (it has no `%` directive)",
                suggest::one_of(&KEYWORDS)
            );
            if let Some(name) = suggest::closest(pattern, KEYWORDS) {
                reason.push_str(&format!("; did you mean `{name}`?"));
            }
            return Err(reason);
        }
        let zoned = sample_zoned()?;
        let text = strtime::format(pattern, &zoned)
            .map_err(|err| format!("is not a valid strftime pattern: {err}"))?;
        let tm = BrokenDownTime::parse(pattern, &text)
            .map_err(|err| format!("cannot be used to read dates: {err}"))?;
        match moment_from_parts(&tm) {
            Ok(moment) if moment.date() == SAMPLE.date() => Ok(()),
            _ => Err(format!(
                "does not describe a whole date: `2025-11-06T14:30Z` comes out as `{text}`, \
                 and reading that back does not give 2025-11-06 (a pattern needs a year, a \
                 month and a day, e.g. `%Y`, `%m` and `%d`)"
            )),
        }
    }

    /// What a value should look like, for messages: "a date like 2025-11-06".
    pub fn expected(&self) -> String {
        match self {
            Format::Date => "a date like 2025-11-06".to_owned(),
            Format::DateTime => "a date and time like 2025-11-06T14:30".to_owned(),
            Format::DateOrDateTime => "a date like 2025-11-06 or 2025-11-06T14:30".to_owned(),
            Format::Pattern(pattern) => match sample_zoned()
                .ok()
                .and_then(|zoned| strtime::format(pattern, &zoned).ok())
            {
                Some(example) => format!("a date like {example} (`{pattern}`)"),
                None => format!("a date in the format `{pattern}`"),
            },
        }
    }

    /// Writes an instant (seen in UTC) the way this format wants it, for help lines.
    pub fn render(&self, instant: Timestamp) -> Option<String> {
        let zoned = instant.to_zoned(TimeZone::UTC);
        let pattern = match self {
            Format::Date | Format::DateOrDateTime => "%Y-%m-%d",
            Format::DateTime => "%Y-%m-%dT%H:%M",
            Format::Pattern(pattern) => pattern.as_str(),
        };
        strtime::format(pattern, &zoned).ok()
    }

    /// Reads `text` as a date in this format.
    pub fn parse(&self, text: &str) -> Result<Moment, Problem> {
        self.parse_bare(text).map_err(|problem| match problem {
            Problem::Shape { help: None } => Problem::Shape {
                help: self.shape_help(text),
            },
            other => other,
        })
    }

    /// Reads `text` without looking for help on a failure.
    fn parse_bare(&self, text: &str) -> Result<Moment, Problem> {
        match self {
            Format::Date => parse_iso(text, TimeOfDay::Forbidden),
            Format::DateTime => parse_iso(text, TimeOfDay::Required),
            Format::DateOrDateTime => parse_iso(text, TimeOfDay::Optional),
            Format::Pattern(pattern) => parse_pattern(pattern, text),
        }
    }

    /// A specific hint for a value that does not have the format's shape.
    fn shape_help(&self, text: &str) -> Option<String> {
        match self {
            Format::Date if parse_iso(text, TimeOfDay::Required).is_ok() => Some(
                "`[dates] format` is `date`: drop the time, or set it to `date-or-datetime`"
                    .to_owned(),
            ),
            Format::DateTime if parse_iso(text, TimeOfDay::Forbidden).is_ok() => Some(format!(
                "`[dates] format` is `datetime`: add a time, e.g. `{text}T00:00`"
            )),
            Format::Date | Format::DateTime | Format::DateOrDateTime => {
                let padded = padded_iso(text).filter(|padded| padded != text)?;
                self.parse_bare(&padded)
                    .is_ok()
                    .then(|| format!("write it as `{padded}`"))
            }
            Format::Pattern(_) => None,
        }
    }
}

fn sample_zoned() -> Result<jiff::Zoned, String> {
    SAMPLE
        .to_zoned(TimeZone::UTC)
        .map_err(|err| format!("cannot be checked: {err}"))
}

/// `2025-1-6`, `2025/01/06` or `2025.1.6` (optionally followed by a time) rewritten as
/// `2025-01-06...`; `None` when the text does not start with such a year-first date.
fn padded_iso(text: &str) -> Option<String> {
    let split = text.find(['T', 't', ' ']).unwrap_or(text.len());
    let (date, rest) = text.split_at(split);
    let separator = date.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = date.split(separator);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(year, 4..=4) || !digits(month, 1..=2) {
        return None;
    }
    if !digits(day, 1..=2) {
        return None;
    }
    Some(format!("{year}-{month:0>2}-{day:0>2}{rest}"))
}

// ---------------------------------------------------------------------------------------
// ISO 8601 / RFC 3339

/// The numbers of an ISO value as written, before any range check.
struct IsoParts {
    year: u32,
    month: u32,
    day: u32,
    time: Option<TimeParts>,
}

struct TimeParts {
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    /// Sign (`-1` or `1`), hours and minutes; `Z` is `(1, 0, 0)`.
    offset: Option<(i32, u32, u32)>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(
            slice
                .iter()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0')),
        )
    }

    fn eat(&mut self, allowed: &[u8]) -> Option<u8> {
        let byte = *self.bytes.get(self.pos)?;
        if allowed.contains(&byte) {
            self.pos += 1;
            Some(byte)
        } else {
            None
        }
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// Reads the shape `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)F+]][Z|z|±HH[[:]MM]]]`.
fn scan_iso(text: &str) -> Option<IsoParts> {
    let mut cur = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let year = cur.digits(4)?;
    cur.eat(b"-")?;
    let month = cur.digits(2)?;
    cur.eat(b"-")?;
    let day = cur.digits(2)?;
    if cur.done() {
        return Some(IsoParts {
            year,
            month,
            day,
            time: None,
        });
    }
    cur.eat(b"Tt ")?;
    let hour = cur.digits(2)?;
    cur.eat(b":")?;
    let minute = cur.digits(2)?;
    let mut second = 0;
    let mut nanosecond = 0;
    if cur.eat(b":").is_some() {
        second = cur.digits(2)?;
        if cur.eat(b".,").is_some() {
            let mut count = 0;
            while let Some(digit) = cur.digits(1) {
                if count < 9 {
                    nanosecond = nanosecond * 10 + digit;
                }
                count += 1;
            }
            if count == 0 {
                return None;
            }
            for _ in count..9 {
                nanosecond *= 10;
            }
        }
    }
    let offset = match cur.eat(b"Zz+-") {
        None => None,
        Some(b'Z' | b'z') => Some((1, 0, 0)),
        Some(sign) => {
            let sign = if sign == b'-' { -1 } else { 1 };
            let hours = cur.digits(2)?;
            let minutes = if cur.eat(b":").is_some() {
                cur.digits(2)?
            } else {
                cur.digits(2).unwrap_or(0)
            };
            Some((sign, hours, minutes))
        }
    };
    if !cur.done() {
        return None;
    }
    Some(IsoParts {
        year,
        month,
        day,
        time: Some(TimeParts {
            hour,
            minute,
            second,
            nanosecond,
            offset,
        }),
    })
}

fn parse_iso(text: &str, time_of_day: TimeOfDay) -> Result<Moment, Problem> {
    let parts = scan_iso(text).ok_or_else(Problem::shape)?;
    match (time_of_day, &parts.time) {
        (TimeOfDay::Forbidden, Some(_)) | (TimeOfDay::Required, None) => {
            return Err(Problem::shape());
        }
        _ => {}
    }
    let date = make_date(
        i64::from(parts.year),
        i64::from(parts.month),
        i64::from(parts.day),
    )?;
    let Some(time) = parts.time else {
        return Ok(Moment {
            civil: date.to_datetime(Time::midnight()),
            instant: None,
        });
    };
    if let Some(reason) = time_reason(
        Some(i64::from(time.hour)),
        Some(i64::from(time.minute)),
        Some(i64::from(time.second)),
    ) {
        return Err(Problem::time(reason));
    }
    // A leap second (`:60`) is a real second; it counts as the last one of its minute.
    let second = time.second.min(59);
    let clock = Time::new(
        to_i8(time.hour)?,
        to_i8(time.minute)?,
        to_i8(second)?,
        i32::try_from(time.nanosecond).map_err(|_| Problem::shape())?,
    )
    .map_err(|err| Problem::time(err.to_string()))?;
    let civil = date.to_datetime(clock);
    let instant = match time.offset {
        None => None,
        Some((sign, hours, minutes)) => {
            if hours > 23 || minutes > 59 {
                let sign = if sign < 0 { '-' } else { '+' };
                return Err(Problem::time(format!(
                    "offset {sign}{hours:02}:{minutes:02} does not exist"
                )));
            }
            let seconds =
                i32::try_from(hours * 3600 + minutes * 60).map_err(|_| Problem::shape())? * sign;
            let offset =
                Offset::from_seconds(seconds).map_err(|err| Problem::time(err.to_string()))?;
            offset.to_timestamp(civil).ok()
        }
    };
    Ok(Moment { civil, instant })
}

fn to_i8(n: u32) -> Result<i8, Problem> {
    i8::try_from(n).map_err(|_| Problem::shape())
}

// ---------------------------------------------------------------------------------------
// Ranges

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why year-month-day is not a calendar date, if it is not.
fn date_reason(year: i64, month: i64, day: i64) -> Option<String> {
    if !(1..=12).contains(&month) {
        return Some(format!("month {month} does not exist"));
    }
    if !(1..=31).contains(&day) {
        return Some(format!("day {day} does not exist"));
    }
    let days = days_in_month(year, month);
    if day > days {
        let name = usize::try_from(month - 1)
            .ok()
            .and_then(|i| MONTHS.get(i))
            .copied()
            .unwrap_or("that month");
        return Some(format!("{name} {year} has {days} days"));
    }
    None
}

/// Why a time of day is not one, if it is not (a leap second `60` is allowed).
fn time_reason(hour: Option<i64>, minute: Option<i64>, second: Option<i64>) -> Option<String> {
    match (hour, minute, second) {
        (Some(hour), _, _) if !(0..=23).contains(&hour) => {
            Some(format!("hour {hour} does not exist"))
        }
        (_, Some(minute), _) if !(0..=59).contains(&minute) => {
            Some(format!("minute {minute} does not exist"))
        }
        (_, _, Some(second)) if !(0..=60).contains(&second) => {
            Some(format!("second {second} does not exist"))
        }
        _ => None,
    }
}

fn make_date(year: i64, month: i64, day: i64) -> Result<Date, Problem> {
    if let Some(reason) = date_reason(year, month, day) {
        return Err(Problem::date(reason));
    }
    let (Ok(year), Ok(month), Ok(day)) =
        (i16::try_from(year), i8::try_from(month), i8::try_from(day))
    else {
        return Err(Problem::date(format!("year {year} does not exist")));
    };
    Date::new(year, month, day).map_err(|err| Problem::date(err.to_string()))
}

// ---------------------------------------------------------------------------------------
// strftime patterns

fn parse_pattern(pattern: &str, text: &str) -> Result<Moment, Problem> {
    match BrokenDownTime::parse(pattern, text) {
        Ok(tm) => moment_from_parts(&tm),
        Err(_) => Err(pattern_range_problem(pattern, text).unwrap_or_else(Problem::shape)),
    }
}

/// The moment a parsed pattern describes.
fn moment_from_parts(tm: &BrokenDownTime) -> Result<Moment, Problem> {
    // `%s`: the instant is all there is; its civil date is taken in UTC.
    if let Some(instant) = tm.timestamp() {
        let zone = tm.offset().map_or(TimeZone::UTC, TimeZone::fixed);
        return Ok(Moment {
            civil: instant.to_zoned(zone).datetime(),
            instant: Some(instant),
        });
    }
    if let (Some(year), Some(month), Some(day)) = (tm.year(), tm.month(), tm.day()) {
        let date = make_date(i64::from(year), i64::from(month), i64::from(day))?;
        if let Some(weekday) = tm.weekday()
            && weekday != date.weekday()
        {
            return Err(Problem::date(format!(
                "{date} is a {:?}, not a {weekday:?}",
                date.weekday()
            )));
        }
    }
    let date = tm.to_date().map_err(|err| Problem::date(err.to_string()))?;
    let clock = tm.to_time().map_err(|err| Problem::time(err.to_string()))?;
    let civil = date.to_datetime(clock);
    let instant = if let Some(offset) = tm.offset() {
        offset.to_timestamp(civil).ok()
    } else if tm.iana_time_zone().is_some() {
        tm.to_zoned().ok().map(|zoned| zoned.timestamp())
    } else {
        None
    };
    Ok(Moment { civil, instant })
}

/// The numbers a pattern's numeric directives read, before any range check.
#[derive(Debug, Default)]
struct Numbers {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    hour: Option<i64>,
    hour12: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
}

/// jiff's parser stops at an out-of-range number with a generic error. This re-reads the
/// value by the pattern's numeric directives only, to name the part that does not exist.
/// `None` when the pattern uses other directives or the value does not follow it.
fn pattern_range_problem(pattern: &str, text: &str) -> Option<Problem> {
    let mut numbers = Numbers::default();
    let mut input = text.as_bytes();
    read_numbers(pattern.as_bytes(), &mut input, &mut numbers)?;
    if !input.is_empty() {
        return None;
    }
    if let (Some(month), Some(day)) = (numbers.month, numbers.day) {
        // Without a year, February may have 29 days.
        let year = numbers.year.unwrap_or(2000);
        if let Some(reason) = date_reason(year, month, day) {
            return Some(Problem::date(reason));
        }
    }
    if let Some(month) = numbers.month.filter(|m| !(1..=12).contains(m)) {
        return Some(Problem::date(format!("month {month} does not exist")));
    }
    if let Some(day) = numbers.day.filter(|d| !(1..=31).contains(d)) {
        return Some(Problem::date(format!("day {day} does not exist")));
    }
    if let Some(hour) = numbers.hour12.filter(|h| !(1..=12).contains(h)) {
        return Some(Problem::time(format!(
            "hour {hour} does not exist on a 12-hour clock"
        )));
    }
    time_reason(numbers.hour, numbers.minute, numbers.second).map(Problem::time)
}

/// Follows jiff's reading rules for the directives it supports: whitespace in the pattern
/// matches any run of whitespace, a number skips leading whitespace and reads up to its
/// width in digits.
fn read_numbers(pattern: &[u8], input: &mut &[u8], numbers: &mut Numbers) -> Option<()> {
    let mut fmt = pattern.iter().copied();
    while let Some(byte) = fmt.next() {
        if byte.is_ascii_whitespace() {
            skip_whitespace(input);
            continue;
        }
        if byte != b'%' {
            let (&first, rest) = input.split_first()?;
            if first != byte {
                return None;
            }
            *input = rest;
            continue;
        }
        let mut directive = fmt.next()?;
        while matches!(directive, b'-' | b'_' | b'0' | b'^' | b'#') {
            directive = fmt.next()?;
        }
        match directive {
            b'Y' => {
                let negative = input.first() == Some(&b'-');
                if matches!(input.first(), Some(b'-' | b'+')) {
                    *input = input.get(1..)?;
                }
                let year = read_number(input, 4)?;
                numbers.year = Some(if negative { -year } else { year });
            }
            b'y' => {
                let year = read_number(input, 2)?;
                numbers.year = Some(if year <= 68 { 2000 + year } else { 1900 + year });
            }
            b'm' => numbers.month = Some(read_number(input, 2)?),
            b'd' | b'e' => numbers.day = Some(read_number(input, 2)?),
            b'H' | b'k' => numbers.hour = Some(read_number(input, 2)?),
            b'I' | b'l' => numbers.hour12 = Some(read_number(input, 2)?),
            b'M' => numbers.minute = Some(read_number(input, 2)?),
            b'S' => numbers.second = Some(read_number(input, 2)?),
            b'F' => read_numbers(b"%Y-%m-%d", input, numbers)?,
            b'D' => read_numbers(b"%m/%d/%y", input, numbers)?,
            b'T' => read_numbers(b"%H:%M:%S", input, numbers)?,
            b'R' => read_numbers(b"%H:%M", input, numbers)?,
            b'n' | b't' => skip_whitespace(input),
            b'%' => {
                let (&first, rest) = input.split_first()?;
                if first != b'%' {
                    return None;
                }
                *input = rest;
            }
            _ => return None,
        }
    }
    Some(())
}

fn skip_whitespace(input: &mut &[u8]) {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    *input = input.get(start..).unwrap_or_default();
}

fn read_number(input: &mut &[u8], width: usize) -> Option<i64> {
    skip_whitespace(input);
    let len = input
        .iter()
        .take(width)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if len == 0 {
        return None;
    }
    let (digits, rest) = input.split_at_checked(len)?;
    *input = rest;
    Some(
        digits
            .iter()
            .fold(0, |acc, b| acc * 10 + i64::from(b - b'0')),
    )
}
