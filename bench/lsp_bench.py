#!/usr/bin/env python3
"""A scripted language client that times `notelint server` in a vault (SPEC 9 and 11).

    bench/lsp_bench.py VAULT [--notelint PATH] [--runs N] [--note REL]

Starts `notelint server` in VAULT, waits for the start-up index (the `$/progress` report's
end), opens the first note of People/, then measures, as a client sees them (round trip
over stdio, no debounce):

- edit -> diagnostics: a `didChange` (one character typed in the body) until the
  `publishDiagnostics` for that version arrives;
- completion: `textDocument/completion` right after a typed `[[Pe` (link targets);
- definition: `textDocument/definition` on a link;

and the server's resident memory (VmRSS and its peak, VmHWM, from /proc). Prints one JSON
object: medians in milliseconds, the index time in seconds, memory in MB.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


class Client:
    def __init__(self, binary, vault):
        self.proc = subprocess.Popen(
            [binary, "server"],
            cwd=vault,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server went away")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b": ")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def wait(self, wanted):
        while True:
            message = self.read()
            if "method" in message and "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if wanted(message):
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)

    def memory_mb(self):
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0]) / 1024
        return fields


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vault")
    ap.add_argument("--notelint", default="notelint")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--note", help="the note to open (vault-relative; default: the first of People/)")
    args = ap.parse_args()
    vault = os.path.abspath(args.vault)
    root = "file://" + vault
    client = Client(args.notelint, vault)

    started = time.perf_counter()
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root,
            "workspaceFolders": [{"uri": root, "name": "vault"}],
            "capabilities": {"window": {"workDoneProgress": True}},
        },
    )
    client.notify("initialized", {})
    client.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end")
    index_s = time.perf_counter() - started

    people = sorted(n for n in os.listdir(os.path.join(vault, "People")) if n.endswith(".md"))
    rel = args.note or "People/" + people[0]
    uri = root + "/" + rel.replace(" ", "%20")
    with open(os.path.join(vault, rel), encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    version = 1
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}})
    published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["version"] == version)
    uri = published["params"]["uri"]
    findings = len(published["params"]["diagnostics"])

    def utf16(s):
        return len(s.encode("utf-16-le")) // 2

    # A line of the body to type into, and a link to jump from.
    body_line = next(i for i, l in enumerate(lines) if l.startswith("## Context"))
    link_line = next(i for i, l in enumerate(lines) if "[[" in l and i > body_line)
    link_char = utf16(lines[link_line][: lines[link_line].index("[[") + 3])

    edits = []
    for i in range(args.runs):
        version += 1
        # Type a character at the end of the heading line, then delete it again.
        at = utf16(lines[body_line]) + (i % 2)
        change = (
            {"range": {"start": {"line": body_line, "character": at}, "end": {"line": body_line, "character": at}}, "text": "x"}
            if i % 2 == 0
            else {"range": {"start": {"line": body_line, "character": at - 1}, "end": {"line": body_line, "character": at}}, "text": ""}
        )
        t = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        client.wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v)
        edits.append((time.perf_counter() - t) * 1000)

    # Completion: a new line holding `[[Pe` at the end of the note.
    end_line = len(lines) - 1
    version += 1
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
        {"range": {"start": {"line": end_line, "character": 0}, "end": {"line": end_line, "character": 0}}, "text": "[[Pe"}]})
    client.wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v)
    completions = []
    count = 0
    for _ in range(args.runs):
        t = time.perf_counter()
        answer = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": end_line, "character": 4}})
        completions.append((time.perf_counter() - t) * 1000)
        count = len((answer.get("result") or {}).get("items", []))

    definitions = []
    target = None
    for _ in range(args.runs):
        t = time.perf_counter()
        answer = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": link_line, "character": link_char}})
        definitions.append((time.perf_counter() - t) * 1000)
        target = answer.get("result")

    memory = client.memory_mb()
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=30)
    notes = sum(1 for _, _, files in os.walk(vault) for f in files if f.endswith(".md"))
    print(json.dumps({
        "notes": notes,
        "index_s": round(index_s, 2),
        "note": rel,
        "findings_in_note": findings,
        "edit_to_diagnostics_ms": round(statistics.median(edits), 2),
        "completion_ms": round(statistics.median(completions), 2),
        "completion_items": count,
        "definition_ms": round(statistics.median(definitions), 2),
        "definition_found": target is not None,
        "rss_mb": round(memory.get("VmRSS", 0)),
        "peak_rss_mb": round(memory.get("VmHWM", 0)),
        "runs": args.runs,
    }, indent=2))


if __name__ == "__main__":
    sys.exit(main())
