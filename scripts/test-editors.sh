#!/usr/bin/env bash
# Tries the editor recipe for real: headless Neovim opens a note, saves it, and the quickfix
# list must hold notelint's findings. Installs Neovim from Debian when it is missing.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v nvim >/dev/null; then
  if ! (apt-get install -y -qq neovim >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq neovim) >/dev/null 2>&1); then
    echo "editor test SKIPPED: Neovim could not be installed" >&2
    exit 0
  fi
fi
cargo build --quiet --manifest-path "$repo/Cargo.toml"
export PATH="$repo/target/debug:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/vault/People" "$work/vault/.obsidian"
printf -- '---\ntitle: Dana\n---\n# Dana\n\n## Context\n' > "$work/vault/People/Dana.md"
printf -- '---\ntitle: Note\n---\n# Note\n\nSee [[Dana#Context]].\n' > "$work/vault/Note.md"
cd "$work/vault"

# Open a clean note, add a broken link and a broken heading link, save: on-save runs notelint.
nvim --headless -u "$repo/editors/notelint.vim" Note.md \
  -c 'call append(line("$"), ["", "[[Nobody]] and [[Dana#Missing]]"])' \
  -c 'write' \
  -c 'call writefile(map(getqflist(), {_, e -> bufname(e.bufnr) . ":" . e.lnum . ":" . e.col . ": " . e.text}), "'"$work"'/qf.txt")' \
  -c 'qall!' >/dev/null 2>&1

expected="Note.md:8:1: error[links/broken] link target \`Nobody\` matches no note
Note.md:8:23: warning[links/broken-heading] heading \`Missing\` not found in \`People/Dana\`"
actual=$(cat "$work/qf.txt")
if [ "$actual" != "$expected" ]; then
  echo "FAIL: quickfix list after save:" >&2
  echo "$actual" >&2
  exit 1
fi
echo "ok: Neovim's quickfix list holds the findings after :write"
echo "editors: 1 passed, 0 failed"
