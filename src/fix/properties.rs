//! Property tests of the fixer over generated notes: idempotent, body untouched, the
//! intended tag set, the YAML still loads.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{Stop, fix_text};
use crate::config::Config;
use crate::lint::{Checker, parse_options};
use crate::note::{FrontmatterState, Note};
use crate::rules::tags;
use crate::schema::Schemas;

fn config() -> Config {
    let mut config = Config::defaults(PathBuf::from("."));
    let review = &mut config.settings.review;
    let mut when = toml::Table::new();
    when.insert("auto_created".into(), toml::Value::Boolean(true));
    review.require_when = vec![when];
    let mut forbid = toml::Table::new();
    forbid.insert("reviewed".into(), toml::Value::Boolean(true));
    review.forbid_when = vec![forbid];
    config
}

/// A tags field in one of the styles users write.
fn tags_field() -> impl Strategy<Value = Option<String>> {
    let tag = prop::sample::select(vec![
        "a",
        "topic/x",
        "needs-review",
        "Needs_Review",
        "#b",
        "B",
        "a",
        "'quoted'",
        "\"dq\"",
        "",
    ]);
    let items = prop::collection::vec(tag, 0..5);
    prop_oneof![
        Just(None),
        items.clone().prop_map(|items| {
            let lines: String = items.iter().map(|t| format!("\n  - {t}")).collect();
            Some(format!("tags:{lines}"))
        }),
        items.clone().prop_map(|items| {
            let items: Vec<&str> = items.into_iter().filter(|t| !t.is_empty()).collect();
            Some(format!("tags: [{}]", items.join(", ")))
        }),
        items.prop_map(|items| {
            let items: Vec<&str> = items
                .into_iter()
                .filter(|t| !t.is_empty() && !t.starts_with(['\'', '"', '#']))
                .collect();
            Some(format!("tags: {}", items.join(", ")))
        }),
    ]
}

prop_compose! {
    fn note()(
        bom in any::<bool>(),
        crlf in any::<bool>(),
        frontmatter in any::<bool>(),
        auto in any::<bool>(),
        reviewed in any::<bool>(),
        tags in tags_field(),
        comment in any::<bool>(),
        body in r"(# Title\n|text |\[\[Link\]\] |#Tag |- item\n|\n){0,8}",
    ) -> String {
        let mut lines = Vec::new();
        if frontmatter {
            lines.push("---".to_owned());
            lines.push(format!("auto_created: {auto}"));
            if reviewed {
                lines.push("reviewed: true".to_owned());
            }
            if comment {
                lines.push("title: \"Dana\" # a comment".to_owned());
            }
            if let Some(tags) = tags {
                lines.extend(tags.lines().map(str::to_owned));
            }
            lines.push("---".to_owned());
        }
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        for line in lines {
            text.push_str(&line);
            text.push_str(eol);
        }
        text.push_str(&body.replace('\n', eol));
        text
    }
}

fn fix(checker: &Checker<'_>, config: &Config, text: &str) -> super::Fixed {
    fix_text(
        checker,
        &parse_options(config),
        "n.md",
        Path::new("n.md"),
        text.to_owned(),
        false,
    )
    .expect("no $schema in generated notes")
}

proptest! {

    #[test]
    fn fixing_is_idempotent_and_keeps_the_body(text in note()) {
        let config = config();
        let schemas = Schemas::new(&config).expect("no schemas configured");
        let checker = Checker::new(&config, &schemas, jiff::civil::date(2026, 1, 1));
        let once = fix(&checker, &config, &text);
        if once.stop == Stop::Unparsable {
            prop_assert_eq!(&once.text, &text, "a note whose frontmatter does not load is left alone");
            return Ok(());
        }
        prop_assert_eq!(&once.stop, &Stop::Stable);
        let twice = fix(&checker, &config, &once.text);
        prop_assert_eq!(&twice.text, &once.text, "a second fix changes nothing");
        prop_assert_eq!(twice.applied, 0);

        let options = parse_options(&config);
        let before = Note::parse("n.md".into(), text.clone(), &options);
        let after = Note::parse("n.md".into(), once.text.clone(), &options);
        prop_assert!(matches!(after.frontmatter, FrontmatterState::Parsed(_) | FrontmatterState::Absent));
        if before.parsed().is_some() {
            prop_assert_eq!(&text[before.body_start..], &once.text[after.body_start..], "body untouched");
        }

        // The review tag: present exactly once when required, absent when forbidden.
        let review = tags::frontmatter_tags(&after, &config)
            .into_iter()
            .filter(|t| t.key == "needs-review")
            .count();
        let fm = after.parsed();
        let flag = |key: &str| fm.and_then(|f| f.get(key)).is_some_and(|n| matches!(n.value, crate::yaml::Value::Bool(true)));
        if flag("reviewed") {
            prop_assert_eq!(review, 0);
        } else if flag("auto_created") {
            prop_assert_eq!(review, 1);
        } else {
            prop_assert!(review <= 1, "never duplicated");
        }
    }
}
