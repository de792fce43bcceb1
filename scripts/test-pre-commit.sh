#!/usr/bin/env bash
# Tries the pre-commit hooks for real: installs pre-commit (PyPI) in a virtualenv, builds a
# throwaway git repository with a small vault, and checks that a bad commit is blocked, a
# clean one passes, and the fix hook rewrites the note. Run from anywhere; takes a few
# minutes the first time (pre-commit builds notelint with `cargo install`).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$repo/target/pre-commit-home"

python3 -m venv "$work/venv"
if ! "$work/venv/bin/pip" install --quiet pre-commit; then
  echo "pre-commit test SKIPPED: pre-commit could not be installed from PyPI" >&2
  exit 0
fi
pre_commit="$work/venv/bin/pre-commit"

# pre-commit clones the hook repository at a commit: commit the working tree as it is
# (tracked and untracked files, not ignored ones) into a scratch repository.
hooks="$work/hooks"
mkdir -p "$hooks"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$hooks"
git -C "$hooks" init --quiet
git -C "$hooks" add -A
git -C "$hooks" -c user.name=t -c user.email=t@example.com commit --quiet -m "working tree"
rev=$(git -C "$hooks" rev-parse HEAD)

vault="$work/vault"
mkdir -p "$vault/People"
cd "$vault"
git init --quiet
git config user.name "Test"
git config user.email "test@example.com"
cat > notelint.toml <<'TOML'
[review]
require_when = [{ auto_created = true }]
TOML
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: notelint
YAML
printf -- '---\ntitle: Dana\n---\n# Dana\n' > People/Dana.md
git add -A
"$pre_commit" install --install-hooks >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
git commit --quiet -m "clean vault" && echo "ok: a clean commit passes"

printf -- '---\ntitle: "Broken\n---\n' > People/Bad.md
git add People/Bad.md
if git commit --quiet -m "broken note" >"$work/out" 2>&1; then
  echo "FAIL: a note with a YAML error was committed" >&2
  exit 1
fi
grep -q "frontmatter/syntax" "$work/out" || {
  echo "FAIL: the blocked commit did not report frontmatter/syntax:" >&2; cat "$work/out" >&2; exit 1; }
echo "ok: a broken note is blocked"
git reset --quiet HEAD People/Bad.md && rm People/Bad.md

cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: notelint-fix
YAML
git add .pre-commit-config.yaml && git commit --quiet --no-verify -m "use the fix hook"
"$pre_commit" install --install-hooks >/dev/null
printf -- '---\nauto_created: true\ntags: [a]\n---\n' > People/New.md
git add People/New.md
if git commit --quiet -m "auto-created note" >/dev/null 2>&1; then
  echo "FAIL: the fix hook should have modified the note and stopped the commit" >&2
  exit 1
fi
grep -q "tags: \[a, needs-review\]" People/New.md || { echo "FAIL: note not fixed:" >&2; cat People/New.md >&2; exit 1; }
git add People/New.md
git commit --quiet -m "auto-created note, reviewed tag added" && echo "ok: the fix hook rewrote the note, then the commit passed"

# A note renamed in a terminal (not through Obsidian): the follow-renames hook rewrites the
# links to it, stops the commit, and the commit with the repaired notes passes.
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: notelint-follow-renames
YAML
printf 'See [[Dana]] and [her note](People/Dana.md).\n' > Home.md
printf '{"nodes":[{"id":"1","type":"file","file":"People/Dana.md","x":0,"y":0,"width":9,"height":9}],"edges":[]}\n' > Board.canvas
git add -A && git commit --quiet --no-verify -m "use the follow-renames hook"
"$pre_commit" install --install-hooks >/dev/null
mv People/Dana.md "People/Dana Whitfield.md"
git add -A
if git commit --quiet -m "rename Dana" >"$work/out" 2>&1; then
  echo "FAIL: the follow-renames hook should have repaired the links and stopped the commit" >&2
  exit 1
fi
grep -qF 'See [[Dana Whitfield]] and [her note](People/Dana%20Whitfield.md).' Home.md || {
  echo "FAIL: links not repaired:" >&2; cat Home.md "$work/out" >&2; exit 1; }
grep -qF '"file":"People/Dana Whitfield.md"' Board.canvas || {
  echo "FAIL: canvas not repaired:" >&2; cat Board.canvas >&2; exit 1; }
git add -A
git commit --quiet -m "rename Dana, links repaired" && echo "ok: the follow-renames hook repaired the links to a renamed note, then the commit passed"
echo "pre-commit: 4 passed, 0 failed"
