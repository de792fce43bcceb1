//! The GitHub Action (`action.yml`), run here as the runner would run it: its steps in
//! order, each `run` in `bash --noprofile --norc -eo pipefail`, with the workflow-command
//! files (`GITHUB_OUTPUT`, `GITHUB_PATH`) honoured and `${{ }}` expressions filled in. The
//! install step is replaced by the binary under test and the cache misses; every other
//! step runs as written, against a copy of the example vault in a git repository.
//!
//! Only the expressions the action uses are understood: a new one fails the test until
//! it is taught here, so the test never runs something other than what GitHub would.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The repository, where the action's own files (and so `GITHUB_ACTION_PATH`) are.
fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Value {
    let text = std::fs::read_to_string(repository().join("action.yml")).expect("action.yml");
    let document = notelint::yaml::load(&text, &notelint::yaml::Limits::default())
        .expect("action.yml is YAML");
    assert!(
        document.duplicates.is_empty(),
        "duplicate keys in action.yml"
    );
    document.root.to_json()
}

/// A checkout: the example vault and its schemas at their places in the repository, in a
/// git repository with one commit.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("notelint-action")
            .tempdir()
            .expect("temp dir");
        copy_tree(
            &repository().join("examples/vault"),
            &dir.path().join("examples/vault"),
        );
        copy_tree(&repository().join("schemas"), &dir.path().join("schemas"));
        let workspace = Workspace { dir };
        workspace.git(&["init", "--quiet", "--initial-branch=main"]);
        workspace.commit("the vault");
        workspace
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Commits everything; returns the commit.
    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("list") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// What a run of the action gave.
#[derive(Debug)]
struct ActionRun {
    /// The exit code of the step that ended the run (0 when every step passed).
    code: i32,
    stdout: String,
    stderr: String,
    outputs: BTreeMap<String, String>,
    /// Whether the install step would have run (the cache missed).
    installed: bool,
}

/// Runs the action in `workspace` with `inputs` (the others take their defaults) for an
/// event with the given `github.event` values.
fn run_action(workspace: &Workspace, inputs: &[(&str, &str)], event: &[(&str, &str)]) -> ActionRun {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let runner = tempfile::tempdir().expect("runner folder");
    let temp = runner.path().join("temp");
    std::fs::create_dir_all(&temp).expect("runner temp");
    let path_file = runner.path().join("path");
    std::fs::write(&path_file, "").expect("GITHUB_PATH");

    let declared = action["inputs"].as_object().expect("inputs");
    for (name, _) in inputs {
        assert!(declared.contains_key(*name), "no input {name}");
    }
    let input = |name: &str| -> String {
        inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
            .unwrap_or_else(|| match &declared[name]["default"] {
                Value::String(text) => text.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            })
    };
    let mut steps: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let evaluate = |text: &str, steps: &BTreeMap<String, BTreeMap<String, String>>| -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            let expression = rest[start + 3..end].trim();
            let value = if let Some(name) = expression.strip_prefix("inputs.") {
                input(name)
            } else if let Some(path) = expression.strip_prefix("steps.") {
                let (id, output) = path.split_once(".outputs.").expect("steps.ID.outputs.X");
                steps
                    .get(id)
                    .and_then(|o| o.get(output))
                    .cloned()
                    .unwrap_or_default()
            } else if let Some(field) = expression.strip_prefix("github.event.") {
                event
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, v)| (*v).to_owned())
                    .unwrap_or_default()
            } else {
                panic!("the test does not know the expression `{expression}`")
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    };

    let (mut stdout, mut stderr) = (String::new(), String::new());
    let mut code = 0;
    let mut installed = false;
    let base_path = std::env::var("PATH").unwrap_or_default();
    for step in action["runs"]["steps"].as_array().expect("steps") {
        let id = step["id"]
            .as_str()
            .expect("every step has an id")
            .to_owned();
        let env: Vec<(String, String)> = step["env"]
            .as_object()
            .map(|env| {
                env.iter()
                    .map(|(k, v)| (k.clone(), evaluate(v.as_str().expect("string"), &steps)))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(uses) = step["uses"].as_str() {
            // The only action used is the runner's cache; here it always misses.
            assert!(uses.starts_with("actions/cache@"), "{uses}");
            for key in ["path", "key"] {
                let value = evaluate(step["with"][key].as_str().expect("with"), &steps);
                assert!(!value.is_empty(), "cache {key} is empty");
            }
            steps.insert(id, BTreeMap::from([("cache-hit".into(), "false".into())]));
            continue;
        }
        let script = step["run"].as_str().expect("a run step");
        assert_eq!(step["shell"], "bash", "{id}: every step runs in bash");
        if id == "install" {
            assert_eq!(
                step["if"].as_str(),
                Some("steps.cache.outputs.cache-hit != 'true'")
            );
            assert!(
                script.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""),
                "installs the action's own ref: {script}"
            );
            // Installed: the binary under test, where `cargo install --root` puts it.
            let root = &env
                .iter()
                .find(|(k, _)| k == "NOTELINT_ROOT")
                .expect("root")
                .1;
            let bin = Path::new(root).join("bin");
            std::fs::create_dir_all(&bin).expect("bin");
            std::os::unix::fs::symlink(
                assert_cmd::cargo::cargo_bin("notelint"),
                bin.join("notelint"),
            )
            .expect("install the binary under test");
            installed = true;
            continue;
        }
        assert!(step["if"].is_null(), "{id}: the test runs every other step");

        let output_file = runner.path().join(format!("output-{id}"));
        std::fs::write(&output_file, "").expect("GITHUB_OUTPUT");
        let script_file = runner.path().join(format!("{id}.sh"));
        std::fs::write(&script_file, script).expect("script");
        let added: Vec<String> = std::fs::read_to_string(&path_file)
            .expect("GITHUB_PATH")
            .lines()
            .rev()
            .map(str::to_owned)
            .collect();
        let path = added
            .into_iter()
            .chain([base_path.clone()])
            .collect::<Vec<_>>()
            .join(":");
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(workspace.path())
            .env_clear()
            .env("PATH", path)
            .env("HOME", runner.path())
            .env("GITHUB_ACTION_PATH", repository())
            .env("GITHUB_WORKSPACE", workspace.path())
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .envs(env)
            .output()
            .expect("bash runs");
        stdout.push_str(&String::from_utf8_lossy(&output.stdout));
        stderr.push_str(&String::from_utf8_lossy(&output.stderr));
        let outputs = std::fs::read_to_string(&output_file).expect("outputs");
        steps.insert(
            id.clone(),
            outputs
                .lines()
                .map(|line| {
                    let (key, value) = line.split_once('=').expect("key=value outputs only");
                    (key.to_owned(), value.to_owned())
                })
                .collect(),
        );
        code = output.status.code().unwrap_or(-1);
        if code != 0 {
            break;
        }
    }
    let outputs = action["outputs"]
        .as_object()
        .expect("outputs")
        .iter()
        .map(|(name, output)| {
            let value = evaluate(output["value"].as_str().expect("value"), &steps);
            (name.clone(), value)
        })
        .collect();
    ActionRun {
        code,
        stdout,
        stderr,
        outputs,
        installed,
    }
}

/// `notelint ARGS` run directly in the workspace, for comparison.
fn notelint(workspace: &Workspace, args: &[&str]) -> (i32, String) {
    let output = Command::new(assert_cmd::cargo::cargo_bin("notelint"))
        .args(args)
        .current_dir(workspace.path())
        .env_remove("NOTELINT_FORMAT")
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn annotations(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.starts_with("::")).collect()
}

#[cfg(unix)]
#[test]
fn the_action_annotates_writes_sarif_and_fails_on_findings() {
    let workspace = Workspace::new();
    let run = run_action(&workspace, &[("paths", "examples/vault")], &[]);
    assert!(run.installed);
    let (code, direct) = notelint(
        &workspace,
        &["check", "examples/vault", "--format", "github"],
    );
    assert_eq!(code, 1, "the example vault has deliberate findings");
    assert_eq!(
        run.code, 1,
        "the step fails with notelint's exit code\n{run:#?}"
    );
    assert_eq!(annotations(&run.stdout), annotations(&direct));
    assert!(
        run.stdout.contains("::error file=examples/vault/Notes/"),
        "paths from the repository root, as GitHub wants: {}",
        run.stdout
    );
    assert_eq!(run.outputs["exit-code"], "1");
    assert_eq!(run.outputs["sarif"], "notelint.sarif");
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.path().join("notelint.sarif")).expect("SARIF written"),
    )
    .expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    // One result per annotation; the last annotation is the totals notice.
    assert_eq!(results.len(), annotations(&direct).len() - 1);
}

#[cfg(unix)]
#[test]
fn the_action_takes_fail_on_config_and_no_sarif() {
    let workspace = Workspace::new();
    // The vault's settings with every rule group that has errors turned off: warnings only.
    let vault = workspace.path().join("examples/vault");
    let settings = std::fs::read_to_string(vault.join("notelint.toml")).expect("settings");
    std::fs::write(
        vault.join("relaxed.toml"),
        format!(
            "{settings}\n[rules]\nschema = \"off\"\nlinks = \"off\"\nfrontmatter = \"off\"\n\
             dates = \"off\"\ntags = \"off\"\n"
        ),
    )
    .expect("config");
    let relaxed = [
        ("paths", "examples/vault"),
        ("config", "examples/vault/relaxed.toml"),
        ("sarif", ""),
    ];
    let run = run_action(&workspace, &relaxed, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("::warning "), "{}", run.stdout);
    assert_eq!(run.outputs["sarif"], "");
    assert!(!workspace.path().join("notelint.sarif").exists());
    let strict = [relaxed.as_slice(), &[("fail-on", "warning")]].concat();
    let run = run_action(&workspace, &strict, &[]);
    assert_eq!((run.code, run.outputs["exit-code"].as_str()), (1, "1"));
}

#[cfg(unix)]
#[test]
fn the_action_checks_only_the_changed_notes_when_asked() {
    let workspace = Workspace::new();
    let base = workspace.git(&["rev-parse", "HEAD"]);
    let vault = workspace.path().join("examples/vault");
    // The change: a clean note gets a finding, a note with findings is deleted, an
    // attachment and a file outside the vault are added.
    let home = vault.join("Home.md");
    let text = std::fs::read_to_string(&home).expect("Home.md");
    // `tags.allowed` of the vault's own settings refuses the new tag: the check must run
    // with the vault that holds the note, not from the repository root.
    assert!(text.contains("  - type/note\n"));
    std::fs::write(
        &home,
        text.replace("  - type/note\n", "  - type/note\n  - projcet/x\n"),
    )
    .expect("edit");
    std::fs::remove_file(vault.join("Notes/Onboarding checklist.md")).expect("delete");
    std::fs::write(vault.join("Attachments/new.png"), "png").expect("attachment");
    std::fs::write(workspace.path().join("README.md"), "# repo\n").expect("readme");
    workspace.commit("the change");

    let inputs = [("paths", "examples/vault"), ("changed-only", "true")];
    let run = run_action(
        &workspace,
        &inputs,
        &[("pull_request.base.sha", base.as_str())],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    let found = annotations(&run.stdout);
    assert_eq!(found.len(), 2, "{run:#?}");
    assert!(
        found[0].starts_with(
            "::error file=examples/vault/Home.md,line=8,col=5,endLine=8,endColumn=14,\
             title=tags/not-allowed::tag `projcet/x` is not allowed"
        ),
        "{run:#?}"
    );
    assert_eq!(
        found[1],
        "::notice title=notelint::1 error, 0 warnings in 1 note"
    );
    assert!(!run.stderr.contains("error"), "{}", run.stderr);

    // A push whose notes did not change: nothing to check, a pass.
    std::fs::write(workspace.path().join("README.md"), "# repo, again\n").expect("readme");
    let before = workspace.git(&["rev-parse", "HEAD"]);
    workspace.commit("docs only");
    let run = run_action(&workspace, &inputs, &[("before", before.as_str())]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        annotations(&run.stdout),
        ["::notice title=notelint::0 errors, 0 warnings in 0 notes"]
    );

    // No base to compare with (a manual run): every note is checked, and it says so.
    let run = run_action(&workspace, &inputs, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("checking every note"), "{}", run.stdout);
    assert!(run.stdout.contains("in 36 notes"), "{}", run.stdout);

    // A base commit the shallow checkout lacks is a clear error.
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let run = run_action(&workspace, &inputs, &[("pull_request.base.sha", missing)]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("fetch-depth: 0"), "{}", run.stdout);
}

#[test]
fn the_action_declares_what_the_readme_promises() {
    let action = action();
    let inputs: Vec<&str> = action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        inputs,
        ["paths", "config", "fail-on", "changed-only", "sarif"]
    );
    for (name, input) in action["inputs"].as_object().expect("inputs") {
        assert!(input["description"].is_string(), "{name}");
    }
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README");
    for promise in [
        "security-events: write",
        "fetch-depth: 0",
        "github/codeql-action/upload-sarif",
        "uses: OWNER/notelint@v1",
        "changed-only: true",
    ] {
        assert!(readme.contains(promise), "README lacks {promise}");
    }
}
