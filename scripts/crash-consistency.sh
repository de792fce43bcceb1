#!/usr/bin/env bash
# Kills `notelint fix` at random moments over a vault and checks that every note is then
# wholly old or wholly new, that a second run finishes the job, and that two concurrent
# runs lose nothing. A longer version of the tests in tests/cli/fix.rs, for RELIABILITY.md.
#
#   scripts/crash-consistency.sh [TRIALS] [NOTES]     # default 200 trials, 1000 notes
#   SIGNAL=INT scripts/crash-consistency.sh           # Ctrl-C instead of SIGKILL
#   INPLACE=1 scripts/crash-consistency.sh            # every note hard-linked: written in place
#
# With INPLACE=1 a killed write may leave a note torn, but then its backup copy
# (`.NAME.notelint-backup`) must hold the old version; the script then does what the user
# is told to (put a damaged note back from its backup, delete the backups) before the
# second run.
#
# Needs a release build (`cargo build --release`) or NOTELINT=path.
set -euo pipefail

trials=${1:-200}
signal=${SIGNAL:-KILL}
notes=${2:-1000}
inplace=${INPLACE:-0}
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
        # A second name in a hidden folder (never walked): the note is written in place.
        if [ "$inplace" = 1 ]; then
            mkdir -p "$1/.links"
            ln "$1/People/Person $i.md" "$1/.links/$i.md"
        fi
    done
}

# sums DIR: one "sha256  path" line per note, sorted.
sums() { (cd "$1" && find People -name '*.md' -print0 | sort -z | xargs -0 sha256sum); }

make_vault "$work/template"
sums "$work/template" >"$work/old.sums"
cp -a "$work/template" "$work/reference"
"$bin" fix --quiet "$work/reference" >/dev/null
sums "$work/reference" >"$work/new.sums"
cmp -s "$work/old.sums" "$work/new.sums" && { echo "fix changed nothing" >&2; exit 1; }
# Every acceptable (path, hash): the old and the new version of each note.
sort -u "$work/old.sums" "$work/new.sums" >"$work/allowed.sums"

# How long a full run takes, to spread the kills over it.
start=$(date +%s%N)
cp -a "$work/template" "$work/timing"
"$bin" fix --quiet "$work/timing" >/dev/null
full_ms=$((($(date +%s%N) - start) / 1000000))
echo "vault: $notes notes; a full fix run takes ${full_ms} ms; $trials SIG$signal spread over it"

# backup_of NOTE: where an in-place write keeps its backup copy.
backup_of() { printf '%s/.%s.notelint-backup' "$(dirname "$1")" "$(basename "$1")"; }

torn=0 partial=0 finished=0 leftovers=0 protected=0 backups=0
for t in $(seq 1 "$trials"); do
    v="$work/trial"
    rm -rf "$v"
    cp -a "$work/template" "$v"
    delay_ms=$((RANDOM % (full_ms + 1)))
    "$bin" fix --quiet "$v" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$delay_ms" 'BEGIN {printf "%.3f", ms / 1000}')"
    kill -"$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sums "$v" >"$work/trial.sums"
    # Every note must be one of its two versions (or, written in place, have a backup copy
    # of its old version beside it), and every note must be there.
    [ "$(wc -l <"$work/trial.sums")" -eq "$notes" ] || torn=$((torn + 1))
    while read -r _ path; do
        backup="$v/$(backup_of "$path")"
        if [ -f "$backup" ] &&
            grep -qxF "$(sha256sum <"$backup" | cut -d' ' -f1)  $path" "$work/old.sums"; then
            protected=$((protected + 1))
            cat "$backup" >"$v/$path"
        else
            torn=$((torn + 1))
            echo "trial $t (kill at ${delay_ms} ms): $path is neither old nor new" >&2
        fi
    done < <(comm -23 <(sort "$work/trial.sums") "$work/allowed.sums")
    # What the error message tells the user: a damaged note is put back from its backup
    # (above; a note that is whole may have a backup cut short by the kill), then every
    # backup is deleted.
    while IFS= read -r -d '' backup; do
        backups=$((backups + 1))
        rm "$backup"
    done < <(find "$v" -name '*.notelint-backup' -print0)
    changed=$(comm -12 <(sort "$work/trial.sums") <(sort "$work/new.sums") | wc -l)
    if [ "$changed" -eq "$notes" ]; then finished=$((finished + 1)); elif [ "$changed" -gt 0 ]; then partial=$((partial + 1)); fi
    leftovers=$((leftovers + $(find "$v" -name '.notelint-*.tmp' | wc -l)))
    # A second run finishes the job.
    "$bin" fix --quiet "$v" >/dev/null
    sums "$v" | cmp -s - "$work/new.sums" || { echo "trial $t: second run did not finish" >&2; torn=$((torn + 1)); }
done
echo "kills: $trials; torn or missing notes: $torn; killed mid-way (some notes new): $partial; already finished: $finished; temporary files left by kills: $leftovers"
if [ "$inplace" = 1 ]; then
    echo "backup copies left by kills: $backups; torn notes whose backup held the old version: $protected"
    linked=$(find "$v/People" -name '*.md' -links 2 | wc -l)
    echo "notes still hard-linked after the last trial: $linked of $notes"
    [ "$linked" -eq "$notes" ] || torn=$((torn + 1))
fi

# Two runs at once, several times.
lost=0
for t in $(seq 1 10); do
    v="$work/concurrent"
    rm -rf "$v"
    cp -a "$work/template" "$v"
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
