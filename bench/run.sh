#!/usr/bin/env bash
# notelint's benchmark (SPEC section 9, issue 6). Documented in BENCHMARKS.md.
#
#   bench/run.sh                       # vaults of 1k, 10k and 100k notes
#   bench/run.sh 1000 10000            # chosen sizes
#   bench/run.sh --runs 10 --no-peers 10000
#
# For each size it generates (or reuses) target/bench/vault-N with bench/gen_vault.py, then
# on a warm cache reports medians of: `notelint check` of the whole vault (JSON to
# /dev/null), the floor (`cat` of the same .md files), the single-note editor check
# (`check --stdin-filename`), peak memory (max RSS from /usr/bin/time -v), and, when
# bench/install-peers.sh has put them under target/bench/peers/, the peers on the same
# vault. It installs nothing. Timing uses hyperfine when it is on PATH, else a small loop.
#
# Options:
#   --runs N         runs per notelint/floor/editor measurement (default 5, plus 1 warm-up)
#   --peer-runs N    runs per peer measurement (default 3, the first of which is a probe)
#   --peer-max S     skip a peer at a size when its time, extrapolated linearly from the
#                    previous size, exceeds S seconds per run (default 900); a single probe
#                    run longer than S/peer-runs is reported alone ("1 run")
#   --no-peers       do not time the peers even when installed
#   --no-build       do not run `cargo build --release` first
#   --jobs N         pass --jobs N to notelint check (default: notelint's own default)
#   --rev REV        benchmark a commit instead of the work tree: `git archive REV` into
#                    target/bench/src-REV, built there with its own target/bench/target
#                    (so edits in progress in src/ and target/release are left alone)
# Environment: NOTELINT=path/to/binary (implies --no-build).
#
# Results (hyperfine JSON, logs, the table as Markdown) go to target/bench/results/DATE/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bench="$root/target/bench"
peers="$bench/peers"

runs=5
peer_runs=3
peer_max=900
use_peers=1
build=1
jobs=()
sizes=()
rev=""
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --peer-runs) peer_runs=$2; shift 2 ;;
    --peer-max) peer_max=$2; shift 2 ;;
    --no-peers) use_peers=0; shift ;;
    --no-build) build=0; shift ;;
    --jobs) jobs=(--jobs "$2"); shift 2 ;;
    --rev) rev=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) sizes+=("$1"); shift ;;
    esac
done
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)

if [ -n "$rev" ]; then
    rev=$(cd "$root" && git rev-parse --short "$rev")
    src="$bench/src-$rev"
    if [ ! -f "$src/Cargo.toml" ]; then
        mkdir -p "$src"
        (cd "$root" && git archive "$rev") | tar -x -C "$src"
        # A workspace of its own, not a member of the work tree's (it lies under it).
        grep -q '^\[workspace\]' "$src/Cargo.toml" || printf '\n[workspace]\n' >>"$src/Cargo.toml"
    fi
    echo "building notelint $rev in $src..." >&2
    (cd "$src" && CARGO_TARGET_DIR="$bench/target" cargo build --release --quiet --bin notelint)
    NOTELINT="$bench/target/release/notelint"
    build=0
    commit_note=" (built from git archive of $rev)"
elif [ -n "${NOTELINT:-}" ]; then
    build=0
    NOTELINT_FROM_ENV=1
    commit_note=" (NOTELINT given: the commit is the work tree's, maybe not the binary's)"
else
    NOTELINT="$root/target/release/notelint"
fi
if [ "$build" = 1 ]; then
    echo "building notelint (cargo build --release)..." >&2
    (cd "$root" && cargo build --release --quiet)
fi
[ -x "$NOTELINT" ] || { echo "no notelint binary at $NOTELINT" >&2; exit 2; }

results="$bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"
# A copy, so a rebuild of target/release during the run cannot swap the binary mid-way.
built_from=$(cd "$(dirname "$NOTELINT")" && pwd)/$(basename "$NOTELINT")
cp "$built_from" "$results/notelint"
NOTELINT="$results/notelint"

# ---------------------------------------------------------------- environment
have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1
commit=$(cd "$root" && git rev-parse --short "${rev:-HEAD}" 2>/dev/null || echo unknown)
# Dirty: src/ or Cargo.lock differ from HEAD (when the binary was built from this tree).
if [ -z "${NOTELINT_FROM_ENV:-}" ] && [ -z "$rev" ] && [ -n "$(cd "$root" && git status --porcelain -- src Cargo.lock 2>/dev/null)" ]; then
    commit="$commit+dirty"
fi
commit="$commit${commit_note:-}"
{
    echo "date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine:   $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
    echo "notelint:  $commit (copy of $built_from)"
    echo "timer:     $([ $have_hyperfine = 1 ] && hyperfine --version || echo 'shell loop (date +%s%N)')"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
    # Processes using over 10% of a core during one second (top's second sample).
    echo "busy:      $(top -b -n 2 -d 1 -w 512 2>/dev/null | awk '/^top -/ {n++} n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 10 {printf "%s(%s%%) ", $12, $9}' | cut -c1-400)"
} | tee "$results/env.txt" >&2

# ---------------------------------------------------------------- helpers
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# median_of FILE: median of the numbers in FILE, one per line.
median_of() { sort -g "$1" | awk '{a[NR]=$1} END {if (NR == 0) exit 1; if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# time_cmd LABEL RUNS WARMUP DIR COMMAND: prints the median wall time in seconds.
# Exit codes are ignored (linters exit 1 when they find something); hyperfine's warnings go
# to RESULTS/LABEL.hyperfine.err, the loop's last stderr to RESULTS/LABEL.err.
time_cmd() {
    local label=$1 n=$2 warm=$3 dir=$4 cmd=$5
    if [ $have_hyperfine = 1 ]; then
        (cd "$dir" && hyperfine --style none --ignore-failure --runs "$n" --warmup "$warm" \
            --export-json "$results/$label.json" "$cmd" >/dev/null 2>"$results/$label.hyperfine.err")
        python3 -c 'import json,sys; print("\n".join(map(str, json.load(open(sys.argv[1]))["results"][0]["times"])))' \
            "$results/$label.json" >"$results/$label.times"
        median_of "$results/$label.times"
    else
        local i start end
        : >"$results/$label.times"
        for ((i = 0; i < warm; i++)); do (cd "$dir" && bash -c "$cmd" >/dev/null 2>&1) || true; done
        for ((i = 0; i < n; i++)); do
            start=$(date +%s%N)
            (cd "$dir" && bash -c "$cmd" >/dev/null 2>"$results/$label.err") || true
            end=$(date +%s%N)
            echo "$(((end - start) / 1000))e-6" >>"$results/$label.times"
        done
        median_of "$results/$label.times"
    fi
}

# peak_rss_mb DIR COMMAND: median over 3 runs of the max RSS in MB.
peak_rss_mb() {
    local dir=$1 cmd=$2 i kb
    : >"$results/rss.tmp"
    for i in 1 2 3; do
        (cd "$dir" && /usr/bin/time -v bash -c "exec $cmd" >/dev/null 2>"$results/rss.log") || true
        kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$results/rss.log")
        echo "$kb" >>"$results/rss.tmp"
    done
    awk -v kb="$(median_of "$results/rss.tmp")" 'BEGIN {printf "%.0f", kb / 1024}'
}

fmt_s() { awk -v s="$1" 'BEGIN { if (s < 0.1) printf "%.1f ms", s * 1000; else if (s < 10) printf "%.2f s", s; else printf "%.1f s", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; if (r < 10) printf "%.1f×", r; else printf "%.0f×", r }'; }
q() { printf '%q' "$1"; }

# ensure_vault N: target/bench/vault-N, regenerated when its stamp is missing or stale.
ensure_vault() {
    local n=$1 dir="$bench/vault-$1" want
    want=$(python3 "$here/gen_vault.py" --stamp "$n")
    if [ "$(cat "$dir/.gen_vault" 2>/dev/null)" != "$want" ]; then
        log "generating $dir ($n notes)..."
        rm -rf "$dir"
        python3 "$here/gen_vault.py" "$dir" "$n"
    fi
    echo "$dir"
}

# ---------------------------------------------------------------- peers
# Each peer: a name, whether it is installed, and the command run in the vault folder.
peer_names=()
if [ "$use_peers" = 1 ]; then
    [ -x "$peers/bin/hyalo" ] && peer_names+=(hyalo hyalo-all)
    [ -x "$peers/venv/bin/rumdl" ] && peer_names+=(rumdl)
    [ -x "$peers/node/node_modules/.bin/markdownlint-cli2" ] && peer_names+=(markdownlint-cli2)
    [ -x "$peers/node/node_modules/.bin/remark" ] && peer_names+=(remark)
    [ ${#peer_names[@]} -eq 0 ] && log "no peers under $peers (bench/install-peers.sh installs them)"
fi

# peer_setup NAME VAULT: writes the peer's configuration (outside the vault where it can).
peer_setup() {
    local name=$1 vault=$2 n
    n=$(basename "$vault")
    case "$name" in
    hyalo)
        # hyalo reads .hyalo.toml from the vault root: the people schema and the default
        # note schema in hyalo's own TOML schema language (a hidden file, which notelint,
        # like Obsidian, does not walk).
        cp "$here/peers/hyalo.toml" "$vault/.hyalo.toml"
        ;;
    hyalo-all)
        # The same schemas with hyalo's default rule set (its Markdown style rules on).
        sed '/^\[lint.rules\]/,$d' "$here/peers/hyalo.toml" >"$vault/.hyalo.toml"
        ;;
    remark)
        # remark-lint-frontmatter-schema uses Ajv's draft-07 class, which rejects the
        # people schema's `$schema: draft/2020-12`; it gets a copy without that line (the
        # schema uses no 2020-12 keyword). Schema paths are relative to the vault (the
        # plugin's cwd); plugins resolve from the rc file's folder.
        python3 - "$vault" "$peers/node" "$n" <<'PY'
import json, os, sys
vault, node, n = sys.argv[1:]
schema = json.load(open(os.path.join(vault, "schemas/people.schema.json")))
schema.pop("$schema", None)
draft7 = os.path.join(node, f"people.draft7-{n}.schema.json")
json.dump(schema, open(draft7, "w"), indent=2)
rc = {"plugins": ["remark-frontmatter", ["remark-lint-frontmatter-schema", {"schemas": {
    os.path.relpath(draft7, vault): ["People/**/*.md"],
    "schemas/note.schema.json": ["Customers/**/*.md", "Projects/**/*.md", "Meetings/**/*.md"],
}}]]}
json.dump(rc, open(os.path.join(node, f"remarkrc-{n}.json"), "w"), indent=2)
PY
        ;;
    esac
}

peer_cmd() {
    local name=$1 vault=$2 n
    n=$(basename "$vault")
    case "$name" in
    hyalo | hyalo-all) echo "$(q "$peers/bin/hyalo") lint --format json > /dev/null 2>&1" ;;
    rumdl) echo "$(q "$peers/venv/bin/rumdl") check . --no-config --no-cache --output-format concise > /dev/null 2>&1" ;;
    markdownlint-cli2) echo "$(q "$peers/node/node_modules/.bin/markdownlint-cli2") '**/*.md' > /dev/null 2>&1" ;;
    remark) echo "$(q "$peers/node/node_modules/.bin/remark") --rc-path $(q "$peers/node/remarkrc-$n.json") --no-stdout --quiet --no-color . > /dev/null 2>&1" ;;
    esac
}

# ---------------------------------------------------------------- runs
declare -A T      # T[key,N] = median seconds ("" when skipped)
declare -A NOTE_  # why a peer figure is special at a size
declare -A RSS
prev_size=""
for n in "${sizes[@]}"; do
    vault=$(ensure_vault "$n")
    notes=$(find "$vault" -name '*.md' | wc -l)
    mb=$(du -sm --apparent-size "$vault" | cut -f1)
    log "vault-$n: $notes notes, $mb MB; warming the cache"
    find "$vault" -type f -print0 | xargs -0 cat >/dev/null

    check_cmd="$(q "$NOTELINT") check . ${jobs[*]} --format json > /dev/null"
    floor_cmd="find . -name '*.md' -print0 | xargs -0 cat > /dev/null"
    log "floor (cat of the .md files), $runs runs"
    T[floor,$n]=$(time_cmd "floor-$n" "$runs" 1 "$vault" "$floor_cmd")
    log "notelint check, $runs runs"
    T[notelint,$n]=$(time_cmd "notelint-$n" "$runs" 1 "$vault" "$check_cmd")
    "$NOTELINT" check "$vault" --format concise --statistics 2>/dev/null | tail -12 >"$results/findings-$n.txt" || true

    # (awk, not head: head would close the pipe early, and pipefail would end the script)
    editor_note="People/$(ls "$vault/People" | LC_ALL=C sort | awk 'NR == 1')"
    editor_cmd="$(q "$NOTELINT") check --stdin-filename $(q "$editor_note") --format concise < $(q "$editor_note") > /dev/null"
    log "editor check ($editor_note), $runs runs"
    T[editor,$n]=$(time_cmd "editor-$n" "$runs" 1 "$vault" "$editor_cmd")

    log "peak RSS of notelint check (3 runs)"
    RSS[$n]=$(peak_rss_mb "$vault" "$(q "$NOTELINT") check . ${jobs[*]} --format json")

    for p in "${peer_names[@]}"; do
        T[$p,$n]=""
        if [ -n "$prev_size" ] && [ -n "${T[$p,$prev_size]}" ]; then
            est=$(awk -v t="${T[$p,$prev_size]}" -v a="$prev_size" -v b="$n" 'BEGIN {printf "%.0f", t * b / a}')
            if [ "$est" -gt "$peer_max" ]; then
                NOTE_[$p,$n]="skipped: est. ${est} s/run"
                log "$p: skipped (estimated ${est} s per run > --peer-max $peer_max)"
                continue
            fi
        fi
        peer_setup "$p" "$vault"
        cmd=$(peer_cmd "$p" "$vault")
        log "$p: probe run"
        probe=$(time_cmd "$p-$n-probe" 1 0 "$vault" "$cmd")
        if [ "$peer_runs" -le 1 ]; then
            T[$p,$n]=$probe
        elif awk -v t="$probe" -v m="$peer_max" -v r="$peer_runs" 'BEGIN {exit !(t * r > m)}'; then
            T[$p,$n]=$probe
            NOTE_[$p,$n]="1 run"
        else
            # The probe counts as the first of the runs.
            log "$p: $((peer_runs - 1)) more runs"
            time_cmd "$p-$n" $((peer_runs - 1)) 0 "$vault" "$cmd" >/dev/null
            cat "$results/$p-$n-probe.times" >>"$results/$p-$n.times"
            T[$p,$n]=$(median_of "$results/$p-$n.times")
        fi
    done
    prev_size=$n
    log "vault-$n: notelint $(fmt_s "${T[notelint,$n]}"), floor $(fmt_s "${T[floor,$n]}"), editor $(fmt_s "${T[editor,$n]}"), RSS ${RSS[$n]} MB"
done
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end" | tee -a "$results/env.txt" >&2

# ---------------------------------------------------------------- table
{
    header="| notes | notelint check | cat floor | notelint ÷ floor |"
    rule="|---:|---:|---:|---:|"
    for p in "${peer_names[@]}"; do
        header+=" $p (÷ notelint) |"
        rule+="---:|"
    done
    header+=" editor check | peak RSS |"
    rule+="---:|---:|"
    echo "$header"
    echo "$rule"
    for n in "${sizes[@]}"; do
        row="| $n | $(fmt_s "${T[notelint,$n]}") | $(fmt_s "${T[floor,$n]}") | $(ratio "${T[notelint,$n]}" "${T[floor,$n]}") |"
        for p in "${peer_names[@]}"; do
            if [ -n "${T[$p,$n]}" ]; then
                cell="$(fmt_s "${T[$p,$n]}") ($(ratio "${T[$p,$n]}" "${T[notelint,$n]}"))"
                [ -n "${NOTE_[$p,$n]:-}" ] && cell+=" [${NOTE_[$p,$n]}]"
            else
                cell="— [${NOTE_[$p,$n]:-not run}]"
            fi
            row+=" $cell |"
        done
        row+=" $(fmt_s "${T[editor,$n]}") | ${RSS[$n]} MB |"
        echo "$row"
    done
    echo
    echo "Medians: notelint, floor and editor check of $runs runs after 1 warm-up; peers of $peer_runs runs (or one run alone, marked), no warm-up beyond the cache warm-up."
    echo "Peers do different work: see BENCHMARKS.md. Peer ratios are peer time ÷ notelint time."
    echo
    echo "SPEC 9 targets:"
    for n in "${sizes[@]}"; do
        [ "$n" -ge 100000 ] || continue
        awk -v r="$(awk -v a="${T[notelint,$n]}" -v b="${T[floor,$n]}" 'BEGIN{print a/b}')" -v n="$n" \
            'BEGIN {printf "- full check ≤ 5× floor at %d notes: %.1f× %s\n", n, r, (r <= 5 ? "(met)" : "(MISSED)")}'
        awk -v s="${T[editor,$n]}" -v n="$n" \
            'BEGIN {printf "- editor check < 100 ms at %d notes: %.1f ms %s\n", n, s * 1000, (s < 0.1 ? "(met)" : "(MISSED)")}'
        awk -v m="${RSS[$n]}" -v n="$n" \
            'BEGIN {printf "- peak RSS < 300 MB at %d notes: %d MB %s\n", n, m, (m < 300 ? "(met)" : "(MISSED)")}'
    done
    first=${sizes[0]}
    last=${sizes[${#sizes[@]}-1]}
    if [ "$first" != "$last" ]; then
        awk -v t1="${T[notelint,$first]}" -v t2="${T[notelint,$last]}" -v m1="${RSS[$first]}" -v m2="${RSS[$last]}" -v a="$first" -v b="$last" \
            'BEGIN {printf "- scaling %d -> %d notes (×%g): time ×%.1f, peak RSS ×%.1f\n", a, b, b / a, t2 / t1, m2 / m1}'
    fi
} | tee "$results/table.md"
echo >&2
log "results in $results"
