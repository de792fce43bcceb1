//! A scripted language client: runs `notelint server` in a vault and speaks JSON-RPC with
//! Content-Length framing over its stdin/stdout.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::Vault;

/// How long any one answer may take before the test fails (the server is a debug build
/// on a shared machine).
const PATIENCE: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications (and server requests) received while waiting for something else.
    pub seen: Vec<Value>,
    root: String,
}

impl Client {
    /// Starts the server in `vault` and initializes it with `capabilities`, with the vault
    /// as the workspace folder; returns the client and the server's capabilities.
    pub fn start(vault: &Vault, capabilities: Value) -> (Client, Value) {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("notelint"))
            .arg("server")
            .current_dir(vault.path())
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            seen: Vec::new(),
            root: vault.path().to_string_lossy().into_owned(),
        };
        let root_uri = client.uri("");
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "vault" }],
                "capabilities": capabilities,
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    /// The `file:` URI of a vault-relative path.
    pub fn uri(&self, rel: &str) -> String {
        let path = std::path::Path::new(&self.root).join(rel);
        format!("file://{}", path.to_string_lossy().trim_end_matches('/'))
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and waits for its result; panics on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        match response.get("error") {
            Some(error) => panic!("{method} failed: {error}"),
            None => response["result"].clone(),
        }
    }

    /// The whole response to request `id` (result or error).
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// The next message that `wanted` accepts; others are kept in `seen`, and requests
    /// from the server are answered with `null`.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.seen.iter().position(&wanted) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no answer in time; seen: {:#?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => panic!("the server went away"),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
            }
            if wanted(&message) {
                return message;
            }
            self.seen.push(message);
        }
    }

    /// Waits for the end of the indexing progress report.
    pub fn wait_indexed(&mut self) {
        self.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    }

    /// The next `publishDiagnostics` for `rel`.
    pub fn diagnostics(&mut self, rel: &str) -> Value {
        let uri = self.uri(rel);
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].clone()
    }

    pub fn open(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    /// `textDocument/*` request at a position of `rel`.
    pub fn at(&mut self, method: &str, rel: &str, line: u32, character: u32) -> Value {
        let uri = self.uri(rel);
        let mut params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": false });
        }
        self.request(method, params)
    }

    /// Sends `shutdown` and `exit`; returns the exit code.
    pub fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `value` as pretty JSON with the vault's path shown as `[VAULT]`.
    pub fn redact(&self, value: &Value) -> String {
        serde_json::to_string_pretty(value)
            .expect("json")
            .replace(&self.root, "[VAULT]")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The client capabilities of a plain editor: progress shown, diagnostics pushed,
/// UTF-16 positions, Markdown documentation.
pub fn capabilities() -> Value {
    json!({
        "window": { "workDoneProgress": true },
        "textDocument": {
            "completion": { "completionItem": { "documentationFormat": ["markdown", "plaintext"] } },
        },
    })
}
