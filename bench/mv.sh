#!/usr/bin/env bash
# `notelint mv` of a note with 1,000 backlinks in the 100,000-note benchmark vault (issue 16,
# BENCHMARKS.md). Copies target/bench/vault-100000 (made by bench/gen_vault.py, as
# bench/run.sh does) to target/bench/mv-vault-100000, adds a line linking one person note
# to 1,000 other notes (every 100th, in four forms: `[[Name]]`, `[[Name#heading|text]]`, a
# relative Markdown link, a frontmatter-style path `[[People/Name]]`), then times the move
# there and back on a warm cache and counts the files written.
#
#   bench/mv.sh            # needs target/release/notelint (cargo build --release)
# Environment: NOTELINT=path/to/binary.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${NOTELINT:-$root/target/release/notelint}
src="$root/target/bench/vault-100000"
vault="$root/target/bench/mv-vault-100000"

[ -f "$src/.gen_vault" ] || python3 "$here/gen_vault.py" "$src" 100000
rm -rf "$vault"
cp -r "$src" "$vault"
cd "$vault"
target=$(find People -name '*.md' | sort | sed -n 1p)
name=$(basename "$target" .md)
python3 - "$name" <<'PY'
import os, sys
name = sys.argv[1]
notes = sorted(os.path.join(d, f) for d, _, fs in os.walk(".") for f in fs
               if f.endswith(".md") and not d.startswith("./schemas"))
forms = [f"[[{name}]]", f"[[{name}#Recent Context|see]]",
         f"[md](../People/{name.replace(' ', '%20')}.md)", f"[[People/{name}]]"]
chosen = [n for n in notes if os.path.basename(n) != name + ".md"][::100][:1000]
for i, note in enumerate(chosen):
    with open(note, "a", encoding="utf-8") as f:
        f.write(f"\nBacklink: {forms[i % 4]}\n")
print(f"{len(chosen)} notes link to {name}")
PY
cat /proc/loadavg
"$bin" --version
for pass in 1 2; do
  # Warm the page cache, then time there and back.
  "$bin" mv "$target" "Archive/$name moved.md" --dry-run 2>/dev/null >/dev/null
  /usr/bin/time -f "mv there: %e s, max RSS %M KB" "$bin" mv "$target" "Archive/$name moved.md" 2>&1 | sed 's/: [^;]*;/: …;/' | cut -c1-160
  /usr/bin/time -f "mv back: %e s, max RSS %M KB" "$bin" mv "Archive/$name moved.md" "$target" 2>&1 | sed 's/: [^;]*;/: …;/' | cut -c1-160
done
