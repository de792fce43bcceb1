#!/usr/bin/env python3
"""Deterministic generator of realistic vaults for notelint's benchmarks.

Usage: gen_vault.py OUT_DIR NOTES [--seed N]
       gen_vault.py --stamp NOTES [--seed N]   # print the stamp a finished vault holds

Writes people, customers, projects and meetings like the example vault: ~3 KB notes with
frontmatter, headings, block ids, ~10 body links each (plain, `#heading`, `#^block` embeds,
attachment embeds, Markdown links, folder paths) plus frontmatter links (`company`,
`attendees`), tags (frontmatter and inline) and dates, and about 3% of notes with deliberate
faults (unknown key, impossible date, bad tag, duplicate key, broken link). It also writes
`notelint.toml`, `schemas/people.schema.json` and `schemas/note.schema.json` at the top.
The same arguments always give the same bytes (Python's `random.Random(seed)` is stable).
When every file is written, the hidden file `.gen_vault` receives a stamp (notes, seed and
a hash of this script), so callers can reuse a finished vault and redo a stale or partial one.
"""

import argparse
import hashlib
import os
import random

KINDS = [("People", "people", 0.35), ("Customers", "customer", 0.15),
         ("Projects", "project", 0.15), ("Meetings", "meeting", 0.35)]
WORDS = ("storage roadmap pilot migration budget contract renewal analytics pipeline "
         "review sync onboarding security latency backup archive tiering vendor quarter "
         "forecast churn rollout escalation support design decision risk").split()
FIRST = "Dana Hannah Jae-won Lena Marcus Olivia Priya Ravi Samir Tomás Zoë Ingrid Kofi Mei".split()
LAST = "Whitfield Kowalski Park Vogt Oyelaran Brandt Raman Menon Haddad Ferreira Okafor Lund".split()
COMPANIES = "Contoso Fabrikam Northwind Tailspin Wingtip Litware Adatum Proseware Fourth Coffee".split()


def sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stamp", action="store_true", help="print the stamp and exit")
    ap.add_argument("out", nargs="?")
    ap.add_argument("notes", type=int)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.stamp:
        print(stamp(args.notes, args.seed))
        return
    if args.out is None:
        ap.error("OUT_DIR is required")
    rng = random.Random(args.seed)

    names = []  # (folder, name, type)
    for i in range(args.notes):
        r = rng.random()
        acc = 0.0
        for folder, ty, share in KINDS:
            acc += share
            if r <= acc:
                break
        if ty == "people":
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        elif ty == "customer":
            name = f"{rng.choice(COMPANIES)} {i}"
        elif ty == "project":
            name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} project {i}"
        else:
            name = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} - {rng.choice(WORDS)} sync {i}"
        names.append((folder, name, ty))

    os.makedirs(os.path.join(args.out, "Attachments"), exist_ok=True)
    for k in range(20):
        with open(os.path.join(args.out, "Attachments", f"diagram-{k}.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with open(os.path.join(args.out, "notelint.toml"), "w") as f:
        f.write(CONFIG)
    os.makedirs(os.path.join(args.out, "schemas"), exist_ok=True)
    with open(os.path.join(args.out, "schemas", "people.schema.json"), "w") as f:
        f.write(PEOPLE_SCHEMA)
    with open(os.path.join(args.out, "schemas", "note.schema.json"), "w") as f:
        f.write('{"type": "object", "required": ["type", "title"]}\n')

    by_type = {}
    for n in names:
        by_type.setdefault(n[2], []).append(n)
    for i, (folder, name, ty) in enumerate(names):
        faulty = rng.random() < 0.03
        d = f"2025-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        fm = [f"type: {ty}", f"title: \"{name}\"", f"created: {d}", f"updated: '{d}'"]
        tags = [f"type/{ty}", f"topic/{rng.choice(WORDS)}"]
        if ty == "people":
            company = rng.choice(by_type.get("customer") or names)[1]
            fm.append(f"company: \"[[{company}]]\"")
            fm.append(f"last_contact: {d}")
            fm.append(f"email: person{i}@example.com")
            if rng.random() < 0.3:
                fm.append("auto_created: true")
                tags.append("needs-review")
        if ty == "meeting":
            attendees = rng.sample(by_type.get("people") or names, k=min(3, len(by_type.get("people") or names)))
            fm.append("attendees:")
            fm.extend(f"  - \"[[{a[1]}]]\"" for a in attendees)
        if faulty:
            fault = rng.randrange(4)
            if fault == 0:
                fm.append("last_contcat: 2025-01-01")
            elif fault == 1:
                fm[2] = "created: 2025-02-30"
            elif fault == 2:
                tags.append("Bad Tag")
            else:
                fm.append("title: duplicate")
        fm.append("tags:")
        fm.extend(f"  - {t}" for t in tags)
        body = [f"# {name}", "", sentence(rng, 30), "", "## Context", ""]
        for k in range(1, 7):
            body.append(f"- {sentence(rng)} ^b{k}")
        body += ["", "## Links", ""]
        for j in range(10):
            tf, tn, tty = rng.choice(names)
            form = j % 5
            if form == 0:
                body.append(f"- See [[{tn}]] about {rng.choice(WORDS)}.")
            elif form == 1:
                body.append(f"- Details in [[{tn}#Context|the context]].")
            elif form == 2 and j < 5:
                body.append(f"- Decision: [[{tn}#Links]] and ![[diagram-{rng.randrange(20)}.png]]")
            elif form == 2:
                body.append(f"- Quote: ![[{tn}#^b{rng.randrange(1, 7)}]]")
            elif form == 3:
                body.append(f"- [{tn}](../{tf}/{tn.replace(' ', '%20')}.md)")
            else:
                body.append(f"- Also [[{tf}/{tn}|{rng.choice(WORDS)}]] #topic/{rng.choice(WORDS)}")
        if faulty and rng.random() < 0.5:
            body.append(f"- Broken: [[{name} typo]]")
        body += ["", "## Notes", ""]
        while sum(len(line) + 1 for line in body) < 2600:
            body.append(sentence(rng, 20))
        body += ["", "```dataview", "TABLE file.name FROM \"\" WHERE contains(text, \"[[Not A Link]]\")", "```", ""]
        path = os.path.join(args.out, folder, name + ".md")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body))
    with open(os.path.join(args.out, ".gen_vault"), "w") as f:
        f.write(stamp(args.notes, args.seed) + "\n")


def stamp(notes, seed):
    with open(__file__, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return f"notes={notes} seed={seed} generator={digest}"


CONFIG = """[schema]
default = "schemas/note.schema.json"
type_field = "type"
types = { people = "schemas/people.schema.json" }

[tags]
allowed = ["needs-review", "type/*", "topic/**"]
case = "lower"
type_prefix = "type/"

[dates]
fields = ["created", "updated", "last_contact"]
not_after_today = ["created"]

[links]
targets = { company = "customer", attendees = "people" }
"""

PEOPLE_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["type", "title", "created"],
  "additionalProperties": false,
  "properties": {
    "type": { "const": "people" },
    "title": { "type": "string" },
    "created": { "type": "string", "format": "date" },
    "updated": { "type": "string", "format": "date" },
    "last_contact": { "type": "string", "format": "date" },
    "email": { "type": "string", "format": "email" },
    "company": { "type": "string", "pattern": "^\\\\[\\\\[.+\\\\]\\\\]$" },
    "auto_created": { "type": "boolean" },
    "tags": { "type": "array", "items": { "type": ["string", "null"] } }
  }
}
"""

if __name__ == "__main__":
    main()
