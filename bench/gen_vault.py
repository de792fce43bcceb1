#!/usr/bin/env python3
"""Deterministic generator of realistic vaults for notelint's benchmarks.

Usage: gen_vault.py OUT_DIR NOTES [--seed N] [--profile repo|crm]
       gen_vault.py --stamp NOTES [--seed N] [--profile repo|crm]   # the stamp a finished vault holds

Two profiles. `repo` (the default) writes people, customers, projects and meetings like the example vault: ~3 KB notes with
frontmatter, headings, block ids, ~10 body links each (plain, `#heading`, `#^block` embeds,
attachment embeds, Markdown links, folder paths) plus frontmatter links (`company`,
`attendees`), tags (frontmatter and inline) and dates, and about 3% of notes with deliberate
faults (unknown key, impossible date, bad tag, duplicate key, broken link). It also writes
`notelint.toml`, `schemas/people.schema.json` and `schemas/note.schema.json` at the top.

`crm` is shaped like real CRM vaults (SPEC 9): ~2 KB notes whose ~260 B frontmatter holds
8-12 keys, validated by four schemas (one per type) that `$ref` shared definitions; ~25
links a note (names, `#heading` and `#^block` links, embeds, Markdown links, typed links in
the frontmatter); half the file names non-ASCII and stored in NFD (as macOS writes them)
while links spell them in NFC; inline tags; review rules (`auto_created` notes must carry
`needs-review`, `reviewed` ones must not); four date fields with `not_after_today` and an
`order`. About 3% of notes carry a fault, as in `repo`, plus a missing review tag.
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
    ap.add_argument("--profile", choices=["repo", "crm"], default="repo")
    args = ap.parse_args()
    if args.stamp:
        print(stamp(args.notes, args.seed, args.profile))
        return
    if args.out is None:
        ap.error("OUT_DIR is required")
    if args.profile == "crm":
        crm(args)
    else:
        repo(args)


def repo(args):
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
        f.write(stamp(args.notes, args.seed, "repo") + "\n")


def stamp(notes, seed, profile):
    with open(__file__, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    # The repo profile's stamp keeps its old form, so existing vaults are reused.
    extra = "" if profile == "repo" else f" profile={profile}"
    return f"notes={notes} seed={seed}{extra} generator={digest}"


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

# ---------------------------------------------------------------- the CRM profile

CRM_KINDS = [("Contacts", "contact", 0.40), ("Companies", "company", 0.15),
             ("Deals", "deal", 0.20), ("Interactions", "interaction", 0.25)]
# Names with letters outside ASCII, so that half the vault's names need Unicode folding.
FIRST_NA = "Zoë José François Søren Åsa Mónica Jürgen Łukasz Inès Björn Renée Çağla Ana-María Håkon".split()
LAST_NA = "Müller Álvarez Ødegård Novák Šimůnek Gómez Lindström Kovačević Fernández Nuñez Østergaard Dvořák".split()
COMPANIES_NA = "Société Forêt Bäckerei Ørsted Čeština Straße Café Niño Åkerlund Mañana Kraków Zürich".split()
REGIONS = "emea amer apac latam nordics dach".split()
STAGES = "lead qualified proposal negotiation won lost".split()


def crm(args):
    import unicodedata
    import urllib.parse
    rng = random.Random(args.seed)

    names = []  # (folder, name as written in links (NFC), type)
    for i in range(args.notes):
        r = rng.random()
        acc = 0.0
        for folder, ty, share in CRM_KINDS:
            acc += share
            if r <= acc:
                break
        accented = i % 2 == 0
        if ty == "contact":
            first, last = (FIRST_NA, LAST_NA) if accented else (FIRST, LAST)
            name = f"{rng.choice(first)} {rng.choice(last)} {i}"
        elif ty == "company":
            base = COMPANIES_NA if accented else COMPANIES
            name = f"{rng.choice(base)} {rng.choice(WORDS).capitalize()} {i}"
        elif ty == "deal":
            base = COMPANIES_NA if accented else COMPANIES
            name = f"{rng.choice(base)} {rng.choice(WORDS)} deal {i}"
        else:
            word = "réunion" if accented else "sync"
            name = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} {rng.choice(WORDS)} {word} {i}"
        names.append((folder, name, ty))

    os.makedirs(os.path.join(args.out, "Attachments"), exist_ok=True)
    for k in range(20):
        with open(os.path.join(args.out, "Attachments", f"chart-{k}.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with open(os.path.join(args.out, "notelint.toml"), "w") as f:
        f.write(CRM_CONFIG)
    os.makedirs(os.path.join(args.out, "schemas"), exist_ok=True)
    for file, text in CRM_SCHEMAS.items():
        with open(os.path.join(args.out, "schemas", file), "w") as f:
            f.write(text)

    by_type = {}
    for n in names:
        by_type.setdefault(n[2], []).append(n)

    def pick(ty):
        return rng.choice(by_type.get(ty) or names)

    def day(year_from, year_to):
        return f"{rng.randrange(year_from, year_to + 1)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"

    def link(target):
        tf, tn, _ = target
        form = rng.randrange(20)
        if form < 10:
            return f"[[{tn}]]"
        if form < 13:
            return f"[[{tn}|{tn.split(' ')[0]}]]"
        if form < 15:
            return f"[[{tn}#History]]"
        if form == 15:
            return f"![[{tn}#^h{rng.randrange(1, 5)}]]"
        if form < 18:
            return f"[{tn}](../{tf}/{urllib.parse.quote(tn)}.md)"
        return f"[[{tf}/{tn}]]"

    for i, (folder, name, ty) in enumerate(names):
        faulty = rng.random() < 0.03
        created = day(2022, 2023)
        fm = [f"type: {ty}", f"name: \"{name}\""]
        if ty == "contact":
            fm.append(f"company: \"[[{pick('company')[1]}]]\"")
            fm.append(f"role: {rng.choice(['buyer', 'champion', 'engineer', 'finance', 'legal'])}")
            fm.append(f"email: contact{i}@example.com")
        elif ty == "company":
            fm.append(f"owner: \"[[{pick('contact')[1]}]]\"")
            fm.append(f"industry: {rng.choice(WORDS)}")
            fm.append(f"website: https://example.com/c{i}")
        elif ty == "deal":
            fm.append(f"company: \"[[{pick('company')[1]}]]\"")
            fm.append(f"stage: {rng.choice(STAGES)}")
            fm.append(f"amount: {rng.randrange(1, 500) * 1000}")
        else:
            fm.append(f"company: \"[[{pick('company')[1]}]]\"")
            fm.append("attendees: [" + ", ".join(f"\"[[{pick('contact')[1]}]]\"" for _ in range(2)) + "]")
        fm.append(f"created: {created}")
        fm.append(f"updated: {day(2024, 2024)}")
        fm.append(f"last_contact: {day(2024, 2024)}")
        fm.append(f"next_followup: {day(2026, 2027)}")
        tags = [f"crm/{ty}", f"region/{rng.choice(REGIONS)}"]
        review = rng.random()
        if review < 0.2:
            fm.append("auto_created: true")
            if not (faulty and rng.random() < 0.5):
                tags.append("needs-review")
        elif review < 0.3:
            fm.append("reviewed: true")
        if faulty:
            fault = rng.randrange(4)
            if fault == 0:
                fm.append("last_contcat: 2024-01-01")
            elif fault == 1:
                fm[-4 if fm[-1].startswith(("auto", "reviewed")) else -3] = "updated: 2024-02-30"
            elif fault == 2:
                tags.append("Bad Tag")
            else:
                fm.append("name: duplicate")
        fm.append("tags: [" + ", ".join(tags) + "]")

        body = [f"# {name}", "", "## Summary", ""]
        body.append(f"{sentence(rng, 16)} #topic/{rng.choice(WORDS)} with {link(pick('company'))}.")
        body += ["", "## History", ""]
        for k in range(1, 5):
            body.append(f"- {sentence(rng, 6)} {link(rng.choice(names))} ^h{k}")
        body += ["", "## Related", ""]
        for _ in range(9):
            body.append(f"- {link(rng.choice(names))} and {link(rng.choice(names))}")
        body.append(f"- Chart: ![[chart-{rng.randrange(20)}.png]] #stage/{rng.choice(STAGES)}")
        if faulty and rng.random() < 0.5:
            body.append(f"- Broken: [[{name} typo]]")
        body += ["", "## Notes", ""]
        while sum(len(line) + 1 for line in body) < 1650:
            body.append(sentence(rng, 12))
        body.append("")
        # Stored in NFD, as macOS writes file names; links above spell them in NFC.
        path = os.path.join(args.out, folder, unicodedata.normalize("NFD", name) + ".md")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body))
    with open(os.path.join(args.out, ".gen_vault"), "w") as f:
        f.write(stamp(args.notes, args.seed, "crm") + "\n")


CRM_CONFIG = """[schema]
type_field = "type"
types = { contact = "schemas/contact.schema.json", company = "schemas/company.schema.json", deal = "schemas/deal.schema.json", interaction = "schemas/interaction.schema.json" }

[tags]
allowed = ["needs-review", "crm/*", "region/*", "stage/*", "topic/**"]
case = "lower"
type_prefix = "crm/"

[dates]
fields = ["created", "updated", "last_contact", "next_followup"]
not_after_today = ["created", "last_contact"]
order = [["created", "updated"]]

[links]
targets = { company = "company", owner = "contact", attendees = "contact" }

[review]
tag = "needs-review"
require_when = [{ auto_created = true }]
forbid_when = [{ reviewed = true }]
"""


def crm_schema(ty, required, properties):
    props = {
        "type": f'{{ "const": "{ty}" }}',
        "name": '{ "type": "string" }',
        "created": '{ "$ref": "defs.schema.json#/$defs/date" }',
        "updated": '{ "$ref": "defs.schema.json#/$defs/date" }',
        "last_contact": '{ "$ref": "defs.schema.json#/$defs/date" }',
        "next_followup": '{ "$ref": "defs.schema.json#/$defs/date" }',
        "auto_created": '{ "type": "boolean" }',
        "reviewed": '{ "type": "boolean" }',
        "tags": '{ "$ref": "defs.schema.json#/$defs/tags" }',
    }
    props.update(properties)
    body = ",\n".join(f'    "{k}": {v}' for k, v in props.items())
    req = ", ".join(f'"{r}"' for r in ["type", "name", "created"] + required)
    return f"""{{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": [{req}],
  "additionalProperties": false,
  "properties": {{
{body}
  }}
}}
"""


CRM_SCHEMAS = {
    "defs.schema.json": """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": {
    "date": { "type": "string", "format": "date" },
    "wikilink": { "type": "string", "pattern": "^\\\\[\\\\[.+\\\\]\\\\]$" },
    "tags": { "type": "array", "items": { "type": "string" } }
  }
}
""",
    "contact.schema.json": crm_schema("contact", ["company"], {
        "company": '{ "$ref": "defs.schema.json#/$defs/wikilink" }',
        "role": '{ "enum": ["buyer", "champion", "engineer", "finance", "legal"] }',
        "email": '{ "type": "string", "format": "email" }',
    }),
    "company.schema.json": crm_schema("company", [], {
        "owner": '{ "$ref": "defs.schema.json#/$defs/wikilink" }',
        "industry": '{ "type": "string" }',
        "website": '{ "type": "string", "format": "uri" }',
    }),
    "deal.schema.json": crm_schema("deal", ["company", "stage"], {
        "company": '{ "$ref": "defs.schema.json#/$defs/wikilink" }',
        "stage": '{ "enum": ["lead", "qualified", "proposal", "negotiation", "won", "lost"] }',
        "amount": '{ "type": "integer", "minimum": 0 }',
    }),
    "interaction.schema.json": crm_schema("interaction", ["attendees"], {
        "company": '{ "$ref": "defs.schema.json#/$defs/wikilink" }',
        "attendees": '{ "type": "array", "items": { "$ref": "defs.schema.json#/$defs/wikilink" } }',
    }),
}


if __name__ == "__main__":
    main()
