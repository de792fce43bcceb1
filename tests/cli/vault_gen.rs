//! A generator of vaults with a known structure and planted anomalies, for `init`: the
//! inferred configuration must describe the structure, and `check` with it must report
//! exactly the planted anomalies.
//!
//! A CRM-like vault: people, customers and meetings, with `type` and a type tag on every
//! note, dates in order, typed links, an enum-like `status` and `industry`, and notes
//! created by a tool (`auto_created: true`) that carry the review tag. Each planted
//! anomaly is one note that breaks one of these regularities.

use super::support::Vault;

/// In which order the files are created (directory order is not walk order, but a
/// different creation order must not change anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Forward,
    Reverse,
}

/// A finding `check` must report: the note and the rule code.
pub type Planted = (String, &'static str);

pub struct Generated {
    pub vault: Vault,
    /// Sorted.
    pub planted: Vec<Planted>,
}

const PEOPLE: usize = 24;
const CUSTOMERS: usize = 12;
const MEETINGS: usize = 20;
const INDUSTRIES: [&str; 3] = ["retail", "logistics", "energy"];
const TOPICS: [&str; 4] = ["storage", "pricing", "renewal", "roadmap"];

fn person(i: usize) -> String {
    format!("Person {i:02}")
}

fn customer(i: usize) -> String {
    format!("Customer {i:02}")
}

fn date(day: usize) -> String {
    // Days 1..=28 of months in 2025; `day` counts from 0.
    format!("2025-{:02}-{:02}", day / 28 % 12 + 1, day % 28 + 1)
}

struct Note {
    path: String,
    frontmatter: Vec<(String, String)>,
    tags: Vec<String>,
    body: String,
}

impl Note {
    fn new(path: String) -> Note {
        Note {
            path,
            frontmatter: Vec::new(),
            tags: Vec::new(),
            body: String::new(),
        }
    }

    fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.frontmatter.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => self.frontmatter.push((key.to_owned(), value)),
        }
    }

    fn remove(&mut self, key: &str) {
        self.frontmatter.retain(|(k, _)| k != key);
    }

    fn text(&self) -> String {
        let mut out = String::from("---\n");
        for (key, value) in &self.frontmatter {
            out.push_str(&format!("{key}: {value}\n"));
        }
        out.push_str("tags:\n");
        for tag in &self.tags {
            out.push_str(&format!("  - {tag}\n"));
        }
        out.push_str("---\n");
        out.push_str(&self.body);
        out
    }
}

fn people() -> Vec<Note> {
    (0..PEOPLE)
        .map(|i| {
            let mut note = Note::new(format!("People/{}.md", person(i)));
            note.set("type", "people");
            note.set("title", person(i));
            note.set("created", date(i));
            note.set("updated", format!("'{}'", date(i + 30)));
            note.set("email", format!("person{i}@example.com"));
            note.set("company", format!("\"[[{}]]\"", customer(i % CUSTOMERS)));
            note.set("status", if i % 3 == 0 { "inactive" } else { "active" });
            note.tags = vec![
                "type/people".to_owned(),
                format!("company/customer-{:02}", i % CUSTOMERS),
            ];
            if i % 4 == 1 {
                note.set("auto_created", "true");
                note.tags.push("needs-review".to_owned());
            }
            note.body = format!(
                "# {}\n\nWorks at [[{}]].\n",
                person(i),
                customer(i % CUSTOMERS)
            );
            note
        })
        .collect()
}

fn customers() -> Vec<Note> {
    (0..CUSTOMERS)
        .map(|i| {
            let mut note = Note::new(format!("Customers/{}.md", customer(i)));
            note.set("type", "customer");
            note.set("title", customer(i));
            note.set("created", date(i * 2));
            note.set("industry", INDUSTRIES[i % INDUSTRIES.len()]);
            note.set("contacts", format!("[\"[[{}]]\"]", person(i)));
            note.tags = vec!["type/customer".to_owned()];
            note.body = format!("# {}\n\nAccount notes.\n", customer(i));
            note
        })
        .collect()
}

fn meetings() -> Vec<Note> {
    (0..MEETINGS)
        .map(|i| {
            let name = format!("2025-{:02}-{:02} Meeting {i:02}", i % 12 + 1, i % 28 + 1);
            let mut note = Note::new(format!("Meetings/{name}.md"));
            note.set("type", "meeting");
            note.set("title", format!("Meeting {i:02}"));
            note.set("date", date(i * 3));
            note.set(
                "attendees",
                format!(
                    "[\"[[{}]]\", \"[[{}]]\"]",
                    person(i % 10),
                    person(10 + i % 10)
                ),
            );
            note.set("customer", format!("\"[[{}]]\"", customer(i % CUSTOMERS)));
            note.set("duration", format!("{}", 30 + (i % 3) * 15));
            note.tags = vec![
                "type/meeting".to_owned(),
                format!("topic/{}", TOPICS[i % TOPICS.len()]),
            ];
            note.body = format!("# Meeting {i:02}\n\nWith [[{}]].\n", person(i % 10));
            note
        })
        .collect()
}

/// The vault, with every anomaly planted, its files created in `order`.
pub fn crm_vault(order: Order) -> Generated {
    let mut people = people();
    let mut customers = customers();
    let mut meetings = meetings();
    let mut planted: Vec<Planted> = Vec::new();
    let mut plant = |note: &Note, code: &'static str| planted.push((note.path.clone(), code));

    // A typo in the type: no group of its own, an unknown type (and its type tag no longer
    // matches it). No note links to this one in a typed property.
    people[22].set("type", "poeple");
    plant(&people[22], "schema/unknown-type");
    plant(&people[22], "tags/type-mismatch");
    // A value outside the enum.
    people[4].set("status", "actve");
    plant(&people[4], "schema/enum");
    // A required property missing (present in 23 of 24 notes).
    people[6].remove("email");
    plant(&people[6], "schema/required");
    // One value of another type: it must not widen the property's type.
    meetings[3].set("duration", "an hour");
    plant(&meetings[3], "schema/type");
    // Dates out of order.
    people[8].set("updated", "2024-01-01");
    plant(&people[8], "dates/order");
    // An impossible date.
    customers[5].set("created", "2025-02-30");
    plant(&customers[5], "dates/invalid");
    // A link to a note of the wrong type.
    meetings[7].set(
        "attendees",
        format!("[\"[[{}]]\", \"[[{}]]\"]", person(7), customer(3)),
    );
    plant(&meetings[7], "links/wrong-type");
    // A tag in upper case.
    people[10].tags[0] = "Type/people".to_owned();
    plant(&people[10], "tags/non-canonical");
    // A tag seen once, outside the vocabulary.
    people[11].tags.push("projcet/pilot".to_owned());
    plant(&people[11], "tags/not-allowed");
    // A tool-created note without the review tag.
    people[13].tags.retain(|t| t != "needs-review");
    plant(&people[13], "review/missing-tag");
    // A property seen once: a typo beside the real key.
    people[14].set("titel", "Person 14");
    plant(&people[14], "schema/additional-properties");

    let mut notes: Vec<Note> = people
        .into_iter()
        .chain(customers)
        .chain(meetings)
        .collect();
    if order == Order::Reverse {
        notes.reverse();
    }
    let mut vault = Vault::new();
    for note in &notes {
        vault = vault.file(&note.path, note.text());
    }
    planted.sort();
    Generated { vault, planted }
}
