#!/usr/bin/env bash
# Tries the editor setups for real in headless Neovim: the on-save recipe (the quickfix list
# must hold notelint's findings) and the language server through Neovim's built-in client
# (diagnostics appear, a quick fix applies; scripts/nvim-lsp-test.lua). Installs Neovim
# from Debian when it is missing; every Neovim run is bounded in time.
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
timeout 60 nvim --headless -u "$repo/editors/notelint.vim" Note.md \
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

# The language server in Neovim's built-in client (`vim.lsp.start_client`, Neovim 0.7+):
# diagnostics appear while the buffer is unsaved, and a quick fix applies.
printf -- '---\ntitle: Note\n---\n# Note\n\nSee [[Dana#Context]], [[Dan]] and [[Dana#Contxt]].\n' > "$work/vault/Note.md"
OUT="$work/lsp.txt" timeout 90 nvim --headless --clean Note.md \
  -c "luafile $repo/scripts/nvim-lsp-test.lua" >/dev/null 2>&1 || true
expected="diagnostic 6:23 links/broken link target \`Dan\` matches no note | help: did you mean \`Dana\`?
diagnostic 6:42 links/broken-heading heading \`Contxt\` not found in \`People/Dana\` | help: did you mean \`Context\`?
action Replace with \`Dana\`
line See [[Dana#Context]], [[Dana]] and [[Dana#Contxt]].
links/broken gone after the fix"
actual=$(cat "$work/lsp.txt" 2>/dev/null || echo "(Neovim wrote nothing)")
if [ "$actual" != "$expected" ]; then
  echo "FAIL: Neovim's LSP client with notelint server:" >&2
  echo "$actual" >&2
  exit 1
fi
echo "ok: Neovim's LSP client shows the server's diagnostics and applies its quick fix"
echo "editors: 2 passed, 0 failed"
