#!/usr/bin/env bash
# Installs the peer tools bench/run.sh compares notelint with, into target/bench/peers/
# (never globally). Run once; run.sh uses whatever it finds there and skips the rest.
#
#   bench/install-peers.sh            # all peers
#   bench/install-peers.sh rumdl npm  # only some: rumdl, npm (markdownlint-cli2 + remark), hyalo
#
# Sources: rumdl from PyPI (a venv), markdownlint-cli2 and remark-cli + remark-frontmatter +
# remark-lint-frontmatter-schema from npm, hyalo from crates.io (`cargo install hyalo-cli`,
# which compiles for a few minutes).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers="$root/target/bench/peers"
mkdir -p "$peers"

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(rumdl npm hyalo)

for peer in "${wanted[@]}"; do
    case "$peer" in
    rumdl)
        echo "== rumdl (PyPI, venv in $peers/venv)"
        [ -x "$peers/venv/bin/python" ] || python3 -m venv "$peers/venv"
        "$peers/venv/bin/pip" install --quiet --disable-pip-version-check --upgrade rumdl
        "$peers/venv/bin/rumdl" --version
        ;;
    npm)
        echo "== markdownlint-cli2, remark-cli, remark-frontmatter, remark-lint-frontmatter-schema (npm, $peers/node)"
        mkdir -p "$peers/node"
        [ -f "$peers/node/package.json" ] || echo '{"private": true}' >"$peers/node/package.json"
        npm install --prefix "$peers/node" --no-audit --no-fund --loglevel=error \
            markdownlint-cli2 remark-cli remark-frontmatter remark-lint-frontmatter-schema
        "$peers/node/node_modules/.bin/markdownlint-cli2" --help 2>/dev/null | head -1 || true
        "$peers/node/node_modules/.bin/remark" --version
        ;;
    hyalo)
        echo "== hyalo (crates.io: cargo install hyalo-cli --root $peers)"
        cargo install --quiet --locked hyalo-cli --root "$peers" ||
            cargo install --quiet hyalo-cli --root "$peers"
        "$peers/bin/hyalo" --version
        ;;
    *)
        echo "unknown peer \`$peer\` (expected rumdl, npm or hyalo)" >&2
        exit 2
        ;;
    esac
done
echo "peers installed under $peers"
