//! `notelint server` driven over stdio by a scripted client (tests/cli/lsp.rs).

use insta::assert_snapshot;
use serde_json::{Value, json};

use crate::lsp::{Client, capabilities};
use crate::support::{COMMON_SCHEMA, PEOPLE_SCHEMA, Vault};

const CONFIG: &str = r#"[schema]
type_field = "type"
types = { people = "schemas/people.schema.json" }

[tags]
allowed = ["needs-review", "topic/*"]

[links]
targets = { company = "customer" }
"#;

const MEETING: &str = "---
type: people
title: Meeting
created: '2024-01-05'
statsu: x
status: activ
tags: [needs-reviw, topic/x, topic/x]
---
# Meeting

See [[Dana#Contxt]] and [[Dana#^met]] and [[Contosso]].
";

fn vault() -> Vault {
    Vault::new()
        .file("notelint.toml", CONFIG)
        .file("schemas/people.schema.json", PEOPLE_SCHEMA)
        .file("schemas/common.schema.json", COMMON_SCHEMA)
        .file(
            "Customers/Contoso.md",
            "---\ntype: customer\n---\n# Contoso\n\n## Contracts\n\nSigned. ^deal\n",
        )
        .file(
            "People/Dana.md",
            "---\ntype: people\ntitle: Dana\ncreated: '2024-01-02'\ncompany: \"[[Contoso]]\"\ntags: [topic/crm]\n---\n# Dana\n\n## Context\n\nMet at the fair. ^met\n",
        )
        .file("Archive/Dana.md", "# Old Dana\n")
        .file("Notes/Meeting.md", MEETING)
}

/// Starts the server in `vault` and waits for its index.
fn started(vault: &Vault) -> Client {
    let (mut client, _) = Client::start(vault, capabilities());
    client.wait_indexed();
    client
}

fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn change(client: &mut Client, rel: &str, version: i32, changes: Value) {
    let uri = client.uri(rel);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
    );
}

/// Diagnostics reduced to what a reader checks: range, severity, code and message.
fn brief(diagnostics: &Value) -> String {
    diagnostics
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            let r = &d["range"];
            format!(
                "{}:{}-{}:{} {} {} {}",
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"],
                d["severity"],
                d["code"].as_str().unwrap_or("-"),
                d["message"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('\n', " | ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_session_from_initialize_to_shutdown() {
    let vault = vault();
    let (mut client, initialized) = Client::start(&vault, capabilities());
    let mut transcript = format!("## initialize\n{}\n", client.redact(&initialized));
    client.wait_indexed();

    client.open("Notes/Meeting.md", MEETING);
    let diagnostics = client.diagnostics("Notes/Meeting.md");
    transcript += &format!(
        "## publishDiagnostics after didOpen\n{}\n",
        brief(&diagnostics)
    );

    // Fix the heading link by typing: `Contxt` -> `Context` (line 10, after `Cont`).
    change(
        &mut client,
        "Notes/Meeting.md",
        2,
        json!([{ "range": { "start": position(10, 15), "end": position(10, 15) }, "text": "e" }]),
    );
    let diagnostics = client.diagnostics("Notes/Meeting.md");
    transcript += &format!(
        "## publishDiagnostics after didChange\n{}\n",
        brief(&diagnostics)
    );

    // A new line with a link being typed: `[[Da`.
    change(
        &mut client,
        "Notes/Meeting.md",
        3,
        json!([{ "range": { "start": position(11, 0), "end": position(11, 0) }, "text": "Also [[Da" }]),
    );
    client.diagnostics("Notes/Meeting.md");
    let completion = client.at("textDocument/completion", "Notes/Meeting.md", 11, 9);
    transcript += &format!("## completion after [[Da\n{}\n", client.redact(&completion));

    let definition = client.at("textDocument/definition", "Notes/Meeting.md", 10, 8);
    transcript += &format!(
        "## definition of [[Dana#Context]]\n{}\n",
        client.redact(&definition)
    );

    let hover = client.at("textDocument/hover", "Notes/Meeting.md", 10, 8);
    transcript += &format!("## hover on [[Dana#Context]]\n{}\n", client.redact(&hover));
    let hover = client.at("textDocument/hover", "Notes/Meeting.md", 5, 2);
    transcript += &format!("## hover on `status`\n{}\n", client.redact(&hover));

    let uri = client.uri("Notes/Meeting.md");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": position(5, 9), "end": position(5, 9) },
            "context": { "diagnostics": [], "only": ["quickfix"] },
        }),
    );
    transcript += &format!("## codeAction on `activ`\n{}\n", client.redact(&actions));

    let dana = std::fs::read_to_string(vault.abs("People/Dana.md")).expect("read");
    client.open("People/Dana.md", &dana);
    let references = client.at("textDocument/references", "People/Dana.md", 9, 4);
    transcript += &format!(
        "## references of Dana's `## Context`\n{}\n",
        client.redact(&references)
    );
    let references = client.at("textDocument/references", "People/Dana.md", 7, 2);
    transcript += &format!(
        "## references of Dana (its title)\n{}\n",
        client.redact(&references)
    );

    assert_eq!(client.shutdown(), 0);
    assert_snapshot!(transcript);
}

/// The findings, as `check --stdin-filename --format json` gives them for the same text.
fn check_stdin(vault: &Vault, rel: &str, text: &str) -> Vec<(u64, u64, String, String)> {
    let run = vault.run_with_stdin(
        &["check", "--stdin-filename", rel, "--format", "json"],
        text,
    );
    let json: Value = serde_json::from_str(&run.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            let mut message = d["message"].as_str().unwrap_or_default().to_owned();
            if let Some(help) = d["help"].as_str() {
                message = format!("{message}\nhelp: {help}");
            }
            (
                d["line"].as_u64().unwrap_or(0) - 1,
                d["column"].as_u64().unwrap_or(0) - 1,
                format!(
                    "{}/{}",
                    d["code"].as_str().unwrap_or_default(),
                    d["severity"].as_str().unwrap_or_default()
                ),
                message,
            )
        })
        .collect()
}

fn from_server(diagnostics: &Value) -> Vec<(u64, u64, String, String)> {
    diagnostics
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                _ => "info",
            };
            (
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
                d["range"]["start"]["character"].as_u64().unwrap_or(0),
                format!("{}/{severity}", d["code"].as_str().unwrap_or_default()),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn diagnostics_are_those_of_check_stdin_filename() {
    let vault = vault();
    let mut client = started(&vault);
    client.open("Notes/Meeting.md", MEETING);
    let published = client.diagnostics("Notes/Meeting.md");
    let expected = check_stdin(&vault, "Notes/Meeting.md", MEETING);
    assert!(expected.len() >= 6, "{expected:?}");
    assert_eq!(from_server(&published), expected);

    // Pulled diagnostics are the same.
    let uri = client.uri("Notes/Meeting.md");
    let pulled = client.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(pulled["kind"], "full");
    assert_eq!(pulled["items"], published);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn fix_all_is_fix_stdin_filename() {
    let vault = vault();
    let mut client = started(&vault);
    client.open("Notes/Meeting.md", MEETING);
    let uri = client.uri("Notes/Meeting.md");
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": position(0, 0), "end": position(0, 0) },
            "context": { "diagnostics": [], "only": ["source.fixAll"] },
        }),
    );
    let actions = actions.as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.notelint");
    let edits = actions[0]["edit"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .clone();
    let fixed = apply(MEETING, &edits);
    let run = vault.run_with_stdin(&["fix", "--stdin-filename", "Notes/Meeting.md"], MEETING);
    assert_ne!(run.stdout, MEETING);
    assert_eq!(fixed, run.stdout);
    assert_eq!(client.shutdown(), 0);
}

/// Applies LSP text edits (ASCII text: characters are bytes) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().expect("line") as usize;
        let character = p["character"].as_u64().expect("character") as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + character
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn quick_fixes_write_the_did_you_mean_and_silence_a_line() {
    let vault = vault();
    let mut client = started(&vault);
    client.open("Notes/Meeting.md", MEETING);
    client.diagnostics("Notes/Meeting.md");
    let uri = client.uri("Notes/Meeting.md");
    let mut titles = Vec::new();
    for (line, character) in [(4, 1), (5, 9), (6, 9), (6, 30), (10, 14), (10, 46)] {
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": position(line, character), "end": position(line, character) },
                "context": { "diagnostics": [] },
            }),
        );
        for action in actions.as_array().expect("actions") {
            let edits = action["edit"]["changes"][&uri]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let fixed = apply(MEETING, &edits);
            let changed: Vec<&str> = fixed
                .lines()
                .filter(|l| !MEETING.lines().any(|m| m == *l))
                .collect();
            titles.push(format!(
                "{line}:{character} {} [{}] -> {}",
                action["title"].as_str().unwrap_or_default(),
                action["kind"].as_str().unwrap_or_default(),
                changed.join(" / ")
            ));
        }
    }
    assert_snapshot!(titles.join("\n"));

    // Applying "Disable ... for this line" silences the finding.
    let silenced = MEETING.replace(
        "statsu: x",
        "statsu: x # notelint-disable-line schema/additional-properties",
    );
    let run = vault.run_with_stdin(
        &[
            "check",
            "--stdin-filename",
            "Notes/Meeting.md",
            "--format",
            "concise",
        ],
        silenced,
    );
    assert!(!run.stdout.contains("statsu"), "{}", run.stdout);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn completion_offers_keys_values_tags_and_typed_link_targets() {
    let vault = vault();
    let mut client = started(&vault);
    let text = "---\ntype: people\ntitle: T\nst\ntags: [topic/crm, ]\ncompany: \"[[\"\n---\n# T\n\n[[Contoso#]] [[Contoso#^]] [[Dana#]]\n";
    client.open("Notes/New.md", text);
    client.diagnostics("Notes/New.md");
    let labels = |result: &Value| -> String {
        result["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                let edit = &i["textEdit"];
                format!(
                    "{} -> {:?} ({})",
                    i["label"].as_str().unwrap_or_default(),
                    edit["newText"].as_str().unwrap_or_default(),
                    i["detail"].as_str().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut transcript = String::new();
    for (what, line, character) in [
        ("key `st`", 3, 2),
        ("tag after `, `", 4, 17),
        ("company link (customers only)", 5, 12),
        ("headings of Contoso", 9, 10),
        ("block ids of Contoso", 9, 24),
        ("headings of Dana", 9, 34),
    ] {
        let result = client.at("textDocument/completion", "Notes/New.md", line, character);
        transcript += &format!("## {what}\n{}\n", labels(&result));
    }
    let keys = client.at("textDocument/completion", "Notes/New.md", 3, 2);
    let first = &keys["items"][0];
    assert_eq!(
        first["label"], "created",
        "required keys come first: {keys}"
    );
    assert_snapshot!(transcript);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_panic_in_a_request_is_an_error_and_the_server_goes_on() {
    let vault = vault();
    let mut client = started(&vault);
    let id = client.send_request("notelint/testPanic", Value::Null);
    let response = client.response(id);
    assert_eq!(response["error"]["code"], -32603, "{response}");
    let log = client.wait_for(|m| m["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("deliberate panic"),
        "{log}"
    );
    // Still serving.
    client.open("Notes/Meeting.md", MEETING);
    assert!(
        !client
            .diagnostics("Notes/Meeting.md")
            .as_array()
            .expect("list")
            .is_empty()
    );

    // A cancelled request is answered as cancelled, once.
    let id = client.send_request("notelint/testSleep", json!(1500));
    client.notify("$/cancelRequest", json!({ "id": id }));
    let response = client.response(id);
    assert_eq!(response["error"]["code"], -32800, "{response}");
    let id2 = client.send_request("notelint/testSleep", json!(0));
    client.response(id2);
    std::thread::sleep(std::time::Duration::from_millis(1600));
    let late = client.send_request("notelint/testSleep", json!(0));
    client.response(late);
    assert!(
        !client.seen.iter().any(|m| m["id"] == json!(id)),
        "answered twice: {:?}",
        client.seen
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_broken_config_is_shown_on_its_file_and_the_last_good_one_is_kept() {
    let vault = vault();
    let mut client = started(&vault);
    client.open("Notes/Meeting.md", MEETING);
    let before = client.diagnostics("Notes/Meeting.md");

    std::fs::write(
        vault.abs("notelint.toml"),
        CONFIG.replace("allowed =", "alowed ="),
    )
    .expect("write");
    let config_uri = client.uri("notelint.toml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config_uri, "type": 2 }] }),
    );
    let shown = client.diagnostics("notelint.toml");
    assert_snapshot!(brief(&shown));
    // The note is checked with the last good configuration, as before.
    let after = client.diagnostics("Notes/Meeting.md");
    assert_eq!(after, before);

    std::fs::write(vault.abs("notelint.toml"), CONFIG).expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config_uri, "type": 2 }] }),
    );
    assert_eq!(client.diagnostics("notelint.toml"), json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn files_changed_on_disk_and_in_other_open_notes_recheck_open_notes() {
    let vault = vault();
    let mut client = started(&vault);
    client.open("Notes/Meeting.md", MEETING);
    let codes = |d: &Value| -> Vec<String> {
        d.as_array()
            .expect("list")
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(codes(&client.diagnostics("Notes/Meeting.md")).contains(&"links/broken".to_owned()));

    // A note created outside the editor: the broken link resolves.
    std::fs::write(vault.abs("Contosso.md"), "# Contosso\n").expect("write");
    let uri = client.uri("Contosso.md");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri, "type": 1 }] }),
    );
    let now = loop {
        let d = client.diagnostics("Notes/Meeting.md");
        if !codes(&d).contains(&"links/broken".to_owned()) {
            break d;
        }
    };
    assert!(codes(&now).contains(&"links/broken-heading".to_owned()));

    // Dana opened and given the heading `Contxt`: the meeting's link to it is fine now.
    let dana = std::fs::read_to_string(vault.abs("People/Dana.md")).expect("read");
    client.open("People/Dana.md", &dana);
    client.diagnostics("People/Dana.md");
    change(
        &mut client,
        "People/Dana.md",
        2,
        json!([{ "range": { "start": position(12, 0), "end": position(12, 0) }, "text": "## Contxt\n" }]),
    );
    let meeting = client.diagnostics("Notes/Meeting.md");
    assert!(
        !codes(&meeting).contains(&"links/broken-heading".to_owned()),
        "{meeting}"
    );
    assert_eq!(client.shutdown(), 0);
}

/// The targets of the `links/broken` and `links/broken-heading` findings in `diagnostics`.
fn broken_targets(diagnostics: &Value) -> Vec<String> {
    let mut targets: Vec<String> = diagnostics
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| {
            matches!(
                d["code"].as_str(),
                Some("links/broken" | "links/broken-heading")
            )
        })
        .filter_map(|d| d["message"].as_str()?.split('`').nth(1).map(str::to_owned))
        .collect();
    targets.sort();
    targets
}

/// Notes and attachments created, renamed, changed or deleted on disk reach the index one
/// file at a time: the open note's link findings follow each change, and the vault is
/// never indexed again (no new progress report).
#[test]
fn files_created_renamed_or_deleted_on_disk_update_the_index_without_a_rebuild() {
    let vault = vault();
    let mut client = started(&vault);
    client.seen.clear();
    let text = format!("{MEETING}\n![[chart.png]] and [[Plan]]\n");
    client.open("Notes/Meeting.md", &text);
    let watched = |client: &mut Client, changes: &[(&str, u8)]| {
        let changes: Vec<Value> = changes
            .iter()
            .map(|(rel, typ)| json!({ "uri": client.uri(rel), "type": typ }))
            .collect();
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": changes }),
        );
    };
    let until = |client: &mut Client, wanted: &[&str]| loop {
        let diagnostics = client.diagnostics("Notes/Meeting.md");
        if broken_targets(&diagnostics) == wanted {
            break;
        }
    };
    until(&mut client, &["Contosso", "Contxt", "Plan", "chart.png"]);

    // A note and an attachment created.
    std::fs::create_dir_all(vault.abs("Projects")).expect("mkdir");
    std::fs::write(vault.abs("Projects/Plan.md"), "# Plan\n").expect("write");
    std::fs::write(vault.abs("chart.png"), "png").expect("write");
    watched(&mut client, &[("Projects/Plan.md", 1), ("chart.png", 1)]);
    until(&mut client, &["Contosso", "Contxt"]);

    // The note renamed: its old name is gone, its new one is another name.
    std::fs::rename(
        vault.abs("Projects/Plan.md"),
        vault.abs("Projects/Plan B.md"),
    )
    .expect("rename");
    watched(
        &mut client,
        &[("Projects/Plan.md", 3), ("Projects/Plan%20B.md", 1)],
    );
    until(&mut client, &["Contosso", "Contxt", "Plan"]);

    // A note given the heading the meeting links to, and the attachment deleted.
    let dana = std::fs::read_to_string(vault.abs("People/Dana.md")).expect("read");
    std::fs::write(vault.abs("People/Dana.md"), format!("{dana}\n## Contxt\n")).expect("write");
    watched(&mut client, &[("People/Dana.md", 2)]);
    until(&mut client, &["Contosso", "Plan"]);
    std::fs::remove_file(vault.abs("chart.png")).expect("delete");
    watched(&mut client, &[("chart.png", 3)]);
    until(&mut client, &["Contosso", "Plan", "chart.png"]);

    let indexing: Vec<&Value> = client
        .seen
        .iter()
        .filter(|m| {
            matches!(
                m["method"].as_str(),
                Some("$/progress" | "window/workDoneProgress/create")
            )
        })
        .collect();
    assert!(indexing.is_empty(), "indexed again: {indexing:?}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let vault = vault();
    let mut caps = capabilities();
    caps["general"] = json!({ "positionEncodings": ["utf-8", "utf-16"] });
    let (mut client, initialized) = Client::start(&vault, caps);
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-8");
    client.wait_indexed();
    let text = "# Zoë 😀\n\nÀ [[Nobody]]\n";
    client.open("Notes/Accents.md", text);
    let diagnostics = client.diagnostics("Notes/Accents.md");
    // `À ` is 3 bytes; the 10-byte link ends at byte 13 of its line.
    assert_eq!(diagnostics[0]["range"]["start"], position(2, 3));
    assert_eq!(diagnostics[0]["range"]["end"], position(2, 13));
    assert_eq!(client.shutdown(), 0);

    // UTF-16 by default: `À ` is 2 units.
    let (mut client, initialized) = Client::start(&vault, capabilities());
    assert_eq!(initialized["capabilities"]["positionEncoding"], "utf-16");
    client.wait_indexed();
    client.open("Notes/Accents.md", text);
    let diagnostics = client.diagnostics("Notes/Accents.md");
    assert_eq!(diagnostics[0]["range"]["start"], position(2, 2));
    assert_eq!(client.shutdown(), 0);
}

/// The vault of the rename tests: links to `People/Dana.md` in every form and place.
fn rename_vault(open_note: &str) -> Vault {
    Vault::new()
        .file("notelint.toml", "")
        .file("People/Dana.md", "# Dana\n\n## Context\n\nSee [[Acme]].\n")
        .file("Acme.md", "# Acme\n")
        .file(
            "Notes/A.md",
            "See [[Dana]], [[People/Dana#Context|ctx]] and [d](../People/Dana.md).\n",
        )
        .file("Notes/B.md", "---\nowner: \"[[Dana]]\"\n---\nBody.\n")
        .file("Notes/Open.md", open_note)
}

fn will_rename(client: &mut Client, old: &str, new: &str) -> Value {
    // A `#` in a name is a fragment in a URI unless escaped.
    let (old, new) = (
        client.uri(old).replace('#', "%23"),
        client.uri(new).replace('#', "%23"),
    );
    let id = client.send_request(
        "workspace/willRenameFiles",
        json!({ "files": [{ "oldUri": old, "newUri": new }] }),
    );
    client.response(id)
}

#[test]
fn will_rename_files_rewrites_the_links_notelint_mv_rewrites() {
    let on_disk = "Nothing yet.\n";
    let unsaved = "Now [[Dana]] and [[People/Dana]].\n";
    let vault = rename_vault(on_disk);
    let (mut client, capabilities) = Client::start(&vault, crate::lsp::capabilities());
    let filters = &capabilities["capabilities"]["workspace"]["fileOperations"]["willRename"];
    assert_eq!(
        filters["filters"][0]["pattern"]["glob"], "**/*",
        "{filters}"
    );
    client.wait_indexed();
    client.open("Notes/Open.md", unsaved);
    let response = will_rename(&mut client, "People/Dana.md", "Team/Dana Whitfield.md");
    let changes = response["result"]["changes"]
        .as_object()
        .expect("a workspace edit")
        .clone();

    // `notelint mv` in a twin vault whose open note is saved.
    let twin = rename_vault(unsaved);
    let run = twin.run(&["mv", "People/Dana.md", "Team/Dana Whitfield.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let mut edited = Vec::new();
    for (old, new) in [
        ("People/Dana.md", "Team/Dana Whitfield.md"),
        ("Notes/A.md", "Notes/A.md"),
        ("Notes/B.md", "Notes/B.md"),
        ("Notes/Open.md", "Notes/Open.md"),
        ("Acme.md", "Acme.md"),
    ] {
        let before = if old == "Notes/Open.md" {
            unsaved.to_owned()
        } else {
            std::fs::read_to_string(vault.abs(old)).expect("read")
        };
        let edits = changes
            .get(&client.uri(old))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let after = apply(&before, &edits);
        let moved = std::fs::read_to_string(twin.abs(new)).expect("read");
        assert_eq!(after, moved, "{old}");
        if after != before {
            edited.push(old);
        }
    }
    // Every changed file is covered above, the unsaved document among them.
    assert_eq!(changes.len(), edited.len(), "{changes:?}");
    assert!(edited.contains(&"Notes/Open.md"), "{edited:?}");
    assert!(edited.contains(&"Notes/B.md"), "{edited:?}");
    // The server wrote nothing: the client moves the file and applies the edit.
    assert!(vault.abs("People/Dana.md").exists());
    assert_eq!(
        std::fs::read_to_string(vault.abs("Notes/A.md")).expect("read"),
        "See [[Dana]], [[People/Dana#Context|ctx]] and [d](../People/Dana.md).\n"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_rename_that_would_change_a_link_is_refused_with_the_links() {
    let vault = rename_vault("Nothing yet.\n");
    let mut client = started(&vault);
    let response = will_rename(&mut client, "People/Dana.md", "People/Dana#2.md");
    let message = response["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("a wikilink cannot name `Dana#2`") && message.contains("Notes/A.md:1"),
        "{response}"
    );
    let logged = client.wait_for(|m| m["method"] == "window/logMessage");
    assert!(
        logged["params"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Dana#2")),
        "{logged}"
    );
    // The server goes on.
    let response = will_rename(&mut client, "Acme.md", "Acme Corp.md");
    let edits = &response["result"]["changes"][client.uri("People/Dana.md")];
    assert_eq!(
        apply(
            "# Dana\n\n## Context\n\nSee [[Acme]].\n",
            edits.as_array().expect("edits")
        ),
        "# Dana\n\n## Context\n\nSee [[Acme Corp]].\n",
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_broken_links_near_match_is_an_unsafe_quick_fix() {
    let text = "See [[contosso]] and [[Nowhere]].\n";
    let vault = Vault::new()
        .file("notelint.toml", "")
        .file("Customers/Contoso.md", "# Contoso\n")
        .file("Notes/N.md", text);
    let mut client = started(&vault);
    client.open("Notes/N.md", text);
    client.diagnostics("Notes/N.md");
    let uri = client.uri("Notes/N.md");
    let mut fixes = Vec::new();
    for character in [8, 25] {
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": position(0, character), "end": position(0, character) },
                "context": { "diagnostics": [] },
            }),
        );
        for action in actions.as_array().expect("actions") {
            let title = action["title"].as_str().unwrap_or_default();
            if title.starts_with("Fix") {
                let edits = action["edit"]["changes"][&uri].as_array().expect("edits");
                fixes.push((title.to_owned(), apply(text, edits)));
            }
        }
    }
    // What `fix --unsafe-fixes` writes (with the vault walked), and nothing for a link
    // with no near match.
    let run = vault.run(&["fix", "--unsafe-fixes", "Notes/N.md"]);
    let fixed = std::fs::read_to_string(vault.abs("Notes/N.md")).expect("read");
    assert_ne!(fixed, text, "{}", run.transcript());
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert!(fixes[0].0.starts_with("Fix (unsafe): "), "{fixes:?}");
    assert_eq!(fixes[0].1, fixed);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn renaming_a_folder_rewrites_the_links_to_every_file_in_it() {
    let vault = rename_vault("Nothing yet.\n");
    let mut client = started(&vault);
    let response = will_rename(&mut client, "People", "Team");
    let changes = response["result"]["changes"]
        .as_object()
        .expect("a workspace edit")
        .clone();
    let twin = rename_vault("Nothing yet.\n");
    let run = twin.run(&["mv", "People", "Team"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    for rel in ["Notes/A.md", "Notes/B.md"] {
        let before = std::fs::read_to_string(vault.abs(rel)).expect("read");
        let edits = changes
            .get(&client.uri(rel))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let moved = std::fs::read_to_string(twin.abs(rel)).expect("read");
        assert_eq!(apply(&before, &edits), moved, "{rel}");
    }
    // Only the links with a path change; `[[Dana]]` still reaches the note.
    let keys: Vec<&String> = changes.keys().collect();
    assert_eq!(keys, [&client.uri("Notes/A.md")]);
    assert_eq!(client.shutdown(), 0);
}
