#!/bin/sh
# Writes starting inputs for every fuzz target into seeds/<target>/: the example vault's
# notes and a few crafted notes, each after the targets' one-byte knob prefix (0 and one
# other setting). Run from fuzz/ before the first `cargo fuzz run`.
set -eu
cd "$(dirname "$0")"
crafted=$(mktemp -d)
trap 'rm -rf "$crafted"' EXIT
printf -- '---\nauto_created: true\ntags:\n  - a\n  - needs-review\n---\n# T\n[[Link]] #tag\n' > "$crafted/review-block.md"
printf -- '---\r\nauto_created: true\r\ntags: [a, b]\r\n---\r\nbody\r\n' > "$crafted/crlf-flow.md"
printf -- '\357\273\277---\nreviewed: true\ntags: a, needs-review\n---\n' > "$crafted/bom-string-tags.md"
printf -- "---\nstatus: draft\ntag: x\nalias: y\ncssclass: z\ntags:\n- \n- '#B'\n- b\n---\n" > "$crafted/deprecated-keys.md"
printf -- '---\na: &a [x, y]\nb: *a\n? [c, d]\n: e\n!!str 1: !foo bar\nf: |\n  text\n  more\ng: >-\n  folded\n---\n' > "$crafted/yaml-features.md"
printf -- '# Title\n\n```\n[[not]]\n```\n%%%% [[hidden]] %%%%\n<!-- notelint-disable links -->\n[md](Note.md#H) ![[img.png|300]] [[A#B#C|d]] [[#^id]] ^blk\n$$\n[[math]]\n$$\n`[[code]]` | [[a\\|b]] |\n' > "$crafted/body-forms.md"
printf -- '---\ntitle: "unclosed\n---\n' > "$crafted/syntax-error.md"
printf -- '---\n- list\n---\n' > "$crafted/not-mapping.md"
printf -- '---\nx: 1\n...\nafter\n' > "$crafted/dots.md"
for target in frontmatter body_scan fix; do
  case $target in
    frontmatter) other='\061' ;;  # tiny limits
    body_scan) other='\007' ;;    # every option on
    fix) other='\003' ;;          # unsafe fixes, on_errors
  esac
  mkdir -p "seeds/$target"
  i=0
  for note in ../examples/vault/*.md ../examples/vault/*/*.md "$crafted"/*.md; do
    i=$((i + 1))
    { printf '\000'; cat "$note"; } > "seeds/$target/$i-a"
    { printf "$other"; cat "$note"; } > "seeds/$target/$i-b"
  done
done
