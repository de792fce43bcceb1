#!/usr/bin/env bash
# Kills `notelint fix` at random moments over a vault and checks that every note is then
# wholly old or wholly new, that a second run finishes the job, and that two concurrent
# runs lose nothing. A longer version of the tests in tests/cli/fix.rs, for RELIABILITY.md.
#
#   scripts/crash-consistency.sh [TRIALS] [NOTES]     # default 200 trials, 1000 notes
#   SIGNAL=INT scripts/crash-consistency.sh           # Ctrl-C instead of SIGKILL
#
# Needs a release build (`cargo build --release`) or NOTELINT=path.
set -euo pipefail

trials=${1:-200}
signal=${SIGNAL:-KILL}
notes=${2:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${NOTELINT:-$root/target/release/notelint}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# make_vault DIR: notes that all need the review tag (and a tag lower-cased).
make_vault() {
    mkdir -p "$1/People"
    printf '[review]\nrequire_when = [{ auto_created = true }]\n[tags]\ncase = "lower"\n' \
        >"$1/notelint.toml"
    for i in $(seq 1 "$notes"); do
        {
            printf -- '---\nauto_created: true\ntags:\n  - Type/People\n---\n# Person %d\n' "$i"
            for _ in $(seq 1 30); do printf 'Some text about the account, line after line.\n'; done
        } >"$1/People/Person $i.md"
    done
}

# sums DIR: one "sha256  path" line per note, sorted.
sums() { (cd "$1" && find People -name '*.md' -print0 | sort -z | xargs -0 sha256sum); }

make_vault "$work/template"
sums "$work/template" >"$work/old.sums"
cp -r "$work/template" "$work/reference"
"$bin" fix --quiet "$work/reference" >/dev/null
sums "$work/reference" >"$work/new.sums"
cmp -s "$work/old.sums" "$work/new.sums" && { echo "fix changed nothing" >&2; exit 1; }
# Every acceptable (path, hash): the old and the new version of each note.
sort -u "$work/old.sums" "$work/new.sums" >"$work/allowed.sums"

# How long a full run takes, to spread the kills over it.
start=$(date +%s%N)
cp -r "$work/template" "$work/timing"
"$bin" fix --quiet "$work/timing" >/dev/null
full_ms=$((($(date +%s%N) - start) / 1000000))
echo "vault: $notes notes; a full fix run takes ${full_ms} ms; $trials SIG$signal spread over it"

torn=0 partial=0 finished=0 leftovers=0
for t in $(seq 1 "$trials"); do
    v="$work/trial"
    rm -rf "$v"
    cp -r "$work/template" "$v"
    delay_ms=$((RANDOM % (full_ms + 1)))
    "$bin" fix --quiet "$v" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$delay_ms" 'BEGIN {printf "%.3f", ms / 1000}')"
    kill -"$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sums "$v" >"$work/trial.sums"
    # Every note must be one of its two versions, and every note must be there.
    if [ "$(wc -l <"$work/trial.sums")" -ne "$notes" ] ||
        [ -n "$(comm -23 <(sort "$work/trial.sums") "$work/allowed.sums")" ]; then
        torn=$((torn + 1))
        echo "trial $t (kill at ${delay_ms} ms): a note is neither old nor new" >&2
    fi
    changed=$(comm -12 <(sort "$work/trial.sums") <(sort "$work/new.sums") | wc -l)
    if [ "$changed" -eq "$notes" ]; then finished=$((finished + 1)); elif [ "$changed" -gt 0 ]; then partial=$((partial + 1)); fi
    leftovers=$((leftovers + $(find "$v" -name '.notelint-*.tmp' | wc -l)))
    # A second run finishes the job.
    "$bin" fix --quiet "$v" >/dev/null
    sums "$v" | cmp -s - "$work/new.sums" || { echo "trial $t: second run did not finish" >&2; torn=$((torn + 1)); }
done
echo "kills: $trials; torn or missing notes: $torn; killed mid-way (some notes new): $partial; already finished: $finished; temporary files left by kills: $leftovers"

# Two runs at once, several times.
lost=0
for t in $(seq 1 10); do
    v="$work/concurrent"
    rm -rf "$v"
    cp -r "$work/template" "$v"
    "$bin" fix --quiet "$v" >/dev/null 2>&1 &
    a=$!
    "$bin" fix --quiet "$v" >/dev/null 2>&1 &
    b=$!
    wait "$a" || true
    wait "$b" || true
    "$bin" fix --quiet "$v" >/dev/null 2>&1 || true
    sums "$v" | cmp -s - "$work/new.sums" || lost=$((lost + 1))
done
echo "concurrent pairs: 10; runs that lost or tore a note: $lost"
[ "$torn" -eq 0 ] && [ "$lost" -eq 0 ]
