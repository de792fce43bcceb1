//! `notelint mv`: every link form, path style and place rewritten, moves refused when a
//! link cannot be kept, and the vault left without a broken link.

use insta::assert_snapshot;

use crate::support::Vault;

/// The vault's link findings (none expected after a move).
fn links_after(vault: &Vault) -> String {
    let run = vault.run(&[
        "check", "--select", "links", "--format", "concise", "--quiet",
    ]);
    run.stdout
}

fn read(vault: &Vault, rel: &str) -> String {
    std::fs::read_to_string(vault.abs(rel)).expect("file exists")
}

/// A note linked in every body form, from the root and from folders.
fn body_vault() -> Vault {
    Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("People/Dana.md", "# Dana\n## Recent\nText ^blk\n")
        .file("Projects/Plan.md", "# Plan\n")
        .file(
            "Home.md",
            "Bare [[Dana]], shown [[Dana|Dana W.]], heading [[Dana#Recent]], block [[Dana#^blk]],\n\
             with .md [[Dana.md]], path [[People/Dana]], rooted [[/People/Dana]],\n\
             embed ![[Dana#Recent|300]], relative [[./People/Dana]].\n\
             Markdown [md](People/Dana.md), [enc](People/Dana.md#Recent), [abs](/People/Dana.md),\n\
             [angle](<People/Dana.md>), ![img](People/Dana.md).\n\
             \n\
             | who | link |\n\
             | --- | --- |\n\
             | Dana | [[Dana\\|Dana W.]] |\n\
             \n\
             [ref]: People/Dana.md\n\
             `[[Dana]]` in code stays, and so does [[Plan]].\n",
        )
        .file(
            "Projects/Notes.md",
            "From a folder: [[Dana]], [up](../People/Dana.md), [[../People/Dana|up]].\n",
        )
}

#[test]
fn every_body_link_form_keeps_its_form() {
    let vault = body_vault();
    let run = vault.run(&[
        "mv",
        "People/Dana.md",
        "Archive/Dana Whitfield.md",
        "--diff",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_snapshot!(run.transcript());
    // A preview moves nothing.
    assert!(vault.abs("People/Dana.md").exists());
}

#[test]
fn a_move_leaves_every_link_reaching_its_note() {
    let vault = body_vault();
    let run = vault.run(&["mv", "People/Dana.md", "Archive/Dana Whitfield.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "moved `People/Dana.md` to `Archive/Dana Whitfield.md`; rewrote 19 links in 2 files: Home.md, Projects/Notes.md\n"
    );
    assert!(!vault.abs("People/Dana.md").exists());
    assert!(vault.abs("Archive/Dana Whitfield.md").exists());
    assert_eq!(links_after(&vault), "");
    // Code stays code.
    assert!(read(&vault, "Home.md").contains("`[[Dana]]` in code"));
}

#[test]
fn frontmatter_links_keep_their_quoting_and_list_style() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("Contoso.md", "# Contoso\n")
        .file(
            "People/Dana.md",
            "---\n\
             company: \"[[Contoso]]\"\n\
             single: '[[Contoso|it''s]]'\n\
             plain: see [[Contoso]] now\n\
             flow: [\"[[Contoso]]\", '[[Contoso#Contoso]]', x]\n\
             block:\n\
             \x20 - \"[[Contoso]]\"\n\
             \x20 - '[[Contoso]] and [[Contoso]]'\n\
             nested:\n\
             \x20 roles: [{at: \"[[Contoso]]\"}]\n\
             other: keep # a comment\n\
             ---\n\
             Body [[Contoso]].\n",
        );
    let run = vault.run(&["mv", "Contoso.md", "Companies/Contoso Ltd.md", "--diff"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_snapshot!(run.stdout);
    let run = vault.run(&["mv", "Contoso.md", "Companies/Contoso Ltd.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(links_after(&vault), "");
}

#[test]
fn canvases_are_rewritten_too() {
    let canvas = r##"{"nodes":[
  {"id":"a","type":"file","file":"People/Dana.md","subpath":"#Recent","x":0,"y":0,"width":400,"height":400},
  {"id":"b","type":"group","background":"img/bg.png","label":"Team","x":0,"y":0,"width":9,"height":9},
  {"id":"c","type":"text","text":"Ask [[Dana]] about \"[the plan](People/Dana.md)\"\n![[bg.png]]","x":0,"y":0,"width":9,"height":9}
],"edges":[]}
"##;
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("People/Dana.md", "# Dana\n## Recent\n")
        .file("img/bg.png", "png")
        .file("Boards/Team.canvas", canvas);
    let run = vault.run(&["mv", "People/Dana.md", "Team/Dana Whitfield.md", "--diff"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_snapshot!(run.stdout);
    let run = vault.run(&["mv", "img", "assets/images"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(read(&vault, "Boards/Team.canvas").contains(r#""background":"assets/images/bg.png""#));
    let run = vault.run(&["mv", "People/Dana.md", "Team/Dana Whitfield.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = read(&vault, "Boards/Team.canvas");
    serde_json::from_str::<serde_json::Value>(&text).expect("still JSON");
    assert_eq!(links_after(&vault), "");
}

#[test]
fn canvas_links_are_checked_at_their_spans() {
    let canvas = r##"{"nodes":[
  {"id":"a","type":"file","file":"People/Gone.md","x":0,"y":0,"width":1,"height":1},
  {"id":"b","type":"file","file":"People/Dana.md","subpath":"#Nope","x":0,"y":0,"width":1,"height":1},
  {"id":"c","type":"group","background":"img/missing.png","x":0,"y":0,"width":1,"height":1},
  {"id":"d","type":"text","text":"Ask \"[[Dna]]\" and [[Dana#^blk]]","x":0,"y":0,"width":1,"height":1}
],"edges":[]}
"##;
    // Canvases are checked whatever `extensions` says.
    let vault = Vault::new()
        .file("notelint.toml", "[vault]\nextensions = [\"md\", \"txt\"]\n")
        .file("People/Dana.md", "# Dana\n## Recent\nText ^blk\n")
        .file("Board.canvas", canvas);
    let run = vault.run(&["check", "--format", "concise"]);
    assert_snapshot!(run.transcript());
}

#[test]
fn a_folder_moves_with_its_attachments_and_relative_links() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file(
            "Projects/Pilot/Plan.md",
            "![[chart.png]] ![c](chart.png) [home](../../Home.md) [[../Risks]]\n",
        )
        .file("Projects/Pilot/chart.png", "png")
        .file(
            "Projects/Risks.md",
            "[plan](Pilot/Plan.md) ![[Pilot/chart.png]]\n",
        )
        .file(
            "Home.md",
            "[[Projects/Pilot/Plan]] [p](Projects/Pilot/Plan.md)\n",
        );
    let run = vault.run(&["mv", "Projects/Pilot", "Archive/2024/Pilot", "--diff"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_snapshot!(run.transcript());
    let run = vault.run(&["mv", "Projects/Pilot", "Archive/2024/Pilot"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(vault.abs("Archive/2024/Pilot/chart.png").exists());
    assert_eq!(links_after(&vault), "");
}

#[test]
fn names_stored_nfd_are_found_and_moved() {
    let nfd = "Tome\u{301}s.md";
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file(nfd, "# Tomés\n")
        .file("Home.md", "[[Tomés]] and [[tomés#Tomés]]\n");
    let run = vault.run(&["mv", nfd, "People/Tomás.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(read(&vault, "Home.md"), "[[Tomás]] and [[Tomás#Tomés]]\n");
    assert_eq!(links_after(&vault), "");
}

#[test]
fn links_that_become_ambiguous_gain_just_enough_path() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("Projects/Plan.md", "# Plan\n")
        .file("Draft.md", "# Draft\n")
        .file("Home.md", "[[Plan]] and [[Draft]] and [x](Draft.md)\n")
        .file("Archive/Note.md", "[[Plan]]\n");
    // `Archive/Plan.md` is a shorter path than `Projects/Plan.md`: Obsidian would now open
    // it for `[[Plan]]` from the root, and from inside `Archive` (its own folder).
    let run = vault.run(&["mv", "Draft.md", "Archive/Plan.md", "--diff"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_snapshot!(run.stdout);
    let run = vault.run(&["mv", "Draft.md", "Archive/Plan.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(links_after(&vault), "");
}

#[test]
fn moves_that_would_change_a_link_are_refused() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("Dana.md", "# Dana\n")
        .file("Other.md", "x\n")
        .file("Block.md", "---\nabout: |\n  [[Dana]]\n---\n[[Dana]]\n");
    let run = vault.run(&["mv", "Dana.md", "People/Dana W.md"]);
    assert_snapshot!(run.transcript());
    assert!(vault.abs("Dana.md").exists());
    assert_eq!(
        read(&vault, "Block.md"),
        "---\nabout: |\n  [[Dana]]\n---\n[[Dana]]\n"
    );
    // A wikilink cannot name a file with `#` in its name.
    let run = vault.run(&["mv", "Other.md", "A#1.md"]);
    assert_eq!(run.code, 0, "no link to Other: {}", run.transcript());
    let vault = vault.file("Links.md", "[[A#1]] [[Dana]]\n");
    let run = vault.run(&["mv", "Dana.md", "Dana#2.md"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("a wikilink cannot name `Dana#2`"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_destinations_are_usage_errors() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("Dana.md", "# Dana\n")
        .file("Other.md", "[[Dana]]\n");
    let exists = vault.run(&["mv", "Dana.md", "Other.md"]);
    assert_eq!(exists.code, 2);
    assert!(
        exists.stderr.contains("already exists"),
        "{}",
        exists.stderr
    );
    let outside = vault.run(&["mv", "Dana.md", "../Dana.md"]);
    assert_eq!(outside.code, 2);
    assert!(
        outside.stderr.contains("outside the vault"),
        "{}",
        outside.stderr
    );
    let missing = vault.run(&["mv", "Nobody.md", "x.md"]);
    assert_eq!(missing.code, 2);
    let into_itself = vault.run(&["mv", ".", "x"]);
    assert_eq!(into_itself.code, 2);
    assert_eq!(read(&vault, "Other.md"), "[[Dana]]\n");
}

#[test]
fn git_moves_keep_history() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file("Dana.md", "# Dana\n")
        .file("Home.md", "[[Dana]]\n");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(vault.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "{:?}", status);
        String::from_utf8_lossy(&status.stdout).into_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "init"]);
    let run = vault.run(&["mv", "--git", "Dana.md", "People/Dana W.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let status = git(&["status", "--porcelain"]);
    assert!(
        status.contains("R  Dana.md -> \"People/Dana W.md\""),
        "{status}"
    );
    assert_eq!(read(&vault, "Home.md"), "[[Dana W]]\n");
}

/// Regression: a relative wikilink to a note in the link's own folder was written without
/// `./`, which made it a bare name that another note of that name could capture.
#[test]
fn relative_wikilinks_stay_relative() {
    let vault = Vault::new()
        .file(".obsidian/app.json", "{}")
        .file(
            "A/B/My Note.md",
            "self [[../../A/B/My Note]], sibling [[../B/Other]]\n",
        )
        .file("A/B/Other.md", "x\n")
        .file("My Note.md", "the shorter namesake\n");
    let run = vault.run(&["mv", "A/B/My Note.md", "Q/My Note.md"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        read(&vault, "Q/My Note.md"),
        "self [[./My Note]], sibling [[../A/B/Other]]\n"
    );
    assert_eq!(links_after(&vault), "");
}
