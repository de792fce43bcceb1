#!/usr/bin/env bash
# notelint's benchmark (SPEC section 9, issues 6 and 17). Documented in BENCHMARKS.md.
#
#   bench/run.sh                       # both vault profiles, 1k, 10k and 100k notes
#   bench/run.sh 1000 10000            # chosen sizes
#   bench/run.sh --profile crm --runs 10 --no-peers 10000
#   bench/run.sh --million --no-peers 100000   # also the 1,000,000-note run (opt-in)
#
# For each profile (`repo`: target/bench/vault-N; `crm`: target/bench/vault-crm-N, shaped
# like real CRM vaults) and size it generates (or reuses) the vault with
# bench/gen_vault.py, then on a warm page cache reports medians of: the cold `notelint
# check --no-cache` of the whole vault (JSON to /dev/null); the two floors, `rg` reading
# every note in parallel and `cat` of the same files; the check with the cache of an
# earlier run (unchanged vault, and one note changed before each run); the editor check
# (`check --stdin-filename`) with and without the cache, of a clean note and of the same
# note with a broken link; peak memory (max RSS from /usr/bin/time -v) of the cold and the
# cached check; and, on the repo profile, the peers when bench/install-peers.sh has put
# them under target/bench/peers/. The cache lives in the run's results folder
# (NOTELINT_CACHE_DIR), never in the vault.
#
# It installs nothing. Timing uses hyperfine when it is on PATH, else a small loop. The
# `rg` floor needs ripgrep (Debian/Ubuntu: `apt-get install ripgrep`; elsewhere
# `cargo install ripgrep` or the system's package); without it that floor and its ratios
# are left out, and the rest runs as before.
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
#   --profile P      repo, crm or both (default both)
#   --million        also generate a 1,000,000-note vault of the crm profile, time one cold
#                    check and its peak RSS, then delete the vault (~3 GB on disk while
#                    it lasts; generation takes ~15 minutes)
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
profiles=(repo crm)
million=0
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
    --profile)
        case "$2" in
        both) profiles=(repo crm) ;;
        repo | crm) profiles=("$2") ;;
        *) echo "--profile takes repo, crm or both" >&2; exit 2 ;;
        esac
        shift 2 ;;
    --million) million=1; shift ;;
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
have_rg=0
command -v rg >/dev/null && have_rg=1
# An older binary (--rev) may not know --no-cache: then every check is a cold one.
has_cache=0
"$NOTELINT" check --help 2>/dev/null | grep -q -- '--no-cache' && has_cache=1
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
    echo "rg floor:  $([ $have_rg = 1 ] && rg --version | awk 'NR == 1' || echo 'not measured: ripgrep is not installed (apt-get install ripgrep)')"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start"
    # Processes using over 10% of a core during one second (top's second sample).
    echo "busy:      $(top -b -n 2 -d 1 -w 512 2>/dev/null | awk '/^top -/ {n++} n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 10 {printf "%s(%s%%) ", $12, $9}' | cut -c1-400)"
} | tee "$results/env.txt" >&2

# ---------------------------------------------------------------- helpers
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# median_of FILE: median of the numbers in FILE, one per line.
median_of() { sort -g "$1" | awk '{a[NR]=$1} END {if (NR == 0) exit 1; if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# time_cmd LABEL RUNS WARMUP DIR COMMAND [PREPARE]: prints the median wall time in seconds.
# PREPARE runs (untimed) before each run. Exit codes are ignored (linters exit 1 when they
# find something); hyperfine's warnings go to RESULTS/LABEL.hyperfine.err, the loop's last
# stderr to RESULTS/LABEL.err.
time_cmd() {
    local label=$1 n=$2 warm=$3 dir=$4 cmd=$5 prepare=${6:-}
    if [ $have_hyperfine = 1 ]; then
        local prep=()
        [ -n "$prepare" ] && prep=(--prepare "$prepare")
        (cd "$dir" && hyperfine --style none --ignore-failure --runs "$n" --warmup "$warm" "${prep[@]}" \
            --export-json "$results/$label.json" "$cmd" >/dev/null 2>"$results/$label.hyperfine.err")
        python3 -c 'import json,sys; print("\n".join(map(str, json.load(open(sys.argv[1]))["results"][0]["times"])))' \
            "$results/$label.json" >"$results/$label.times"
        median_of "$results/$label.times"
    else
        local i start end
        : >"$results/$label.times"
        for ((i = 0; i < warm; i++)); do
            [ -n "$prepare" ] && (cd "$dir" && bash -c "$prepare")
            (cd "$dir" && bash -c "$cmd" >/dev/null 2>&1) || true
        done
        for ((i = 0; i < n; i++)); do
            [ -n "$prepare" ] && (cd "$dir" && bash -c "$prepare")
            start=$(date +%s%N)
            (cd "$dir" && bash -c "$cmd" >/dev/null 2>"$results/$label.err") || true
            end=$(date +%s%N)
            echo "$(((end - start) / 1000))e-6" >>"$results/$label.times"
        done
        median_of "$results/$label.times"
    fi
}

# peak_rss_mb DIR COMMAND [RUNS]: median over RUNS (default 3) runs of the max RSS in MB.
peak_rss_mb() {
    local dir=$1 cmd=$2 n=${3:-3} i kb
    : >"$results/rss.tmp"
    for ((i = 0; i < n; i++)); do
        (cd "$dir" && /usr/bin/time -v bash -c "exec $cmd" >/dev/null 2>"$results/rss.log") || true
        kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$results/rss.log")
        echo "$kb" >>"$results/rss.tmp"
    done
    awk -v kb="$(median_of "$results/rss.tmp")" 'BEGIN {printf "%.0f", kb / 1024}'
}

# elapsed_s: the wall time of the last peak_rss_mb run, in seconds (from /usr/bin/time -v).
elapsed_s() {
    awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$results/rss.log"
}

fmt_s() { awk -v s="$1" 'BEGIN { if (s < 0.1) printf "%.1f ms", s * 1000; else if (s < 10) printf "%.2f s", s; else printf "%.1f s", s }'; }
ratio() {
    if [ -z "$1" ] || [ -z "$2" ]; then echo "—"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; if (r < 10) printf "%.1f×", r; else printf "%.0f×", r }'
}
# cell SECONDS: a time, or a dash when it was not measured.
cell() { if [ -n "$1" ]; then fmt_s "$1"; else echo "—"; fi; }
q() { printf '%q' "$1"; }

# vault_dir PROFILE N: where that vault lives.
vault_dir() { if [ "$1" = repo ]; then echo "$bench/vault-$2"; else echo "$bench/vault-$1-$2"; fi; }

# ensure_vault PROFILE N: the vault, regenerated when its stamp is missing or stale.
ensure_vault() {
    local profile=$1 n=$2 dir want
    dir=$(vault_dir "$profile" "$n")
    want=$(python3 "$here/gen_vault.py" --stamp "$n" --profile "$profile")
    if [ "$(cat "$dir/.gen_vault" 2>/dev/null)" != "$want" ]; then
        log "generating $dir ($n notes, $profile profile)..."
        rm -rf "$dir"
        python3 "$here/gen_vault.py" "$dir" "$n" --profile "$profile"
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
declare -A T      # T[key,PROFILE,N] = median seconds ("" when skipped)
declare -A NOTE_  # why a peer figure is special at a size
declare -A RSS    # RSS[cold|cached,PROFILE,N] = MB
rows=()           # "PROFILE N" in the order measured
for profile in "${profiles[@]}"; do
prev_size=""
for n in "${sizes[@]}"; do
    key="$profile,$n"
    rows+=("$key")
    vault=$(ensure_vault "$profile" "$n")
    notes=$(find "$vault" -name '*.md' | wc -l)
    mb=$(du -sm --apparent-size "$vault" | cut -f1)
    log "$profile vault-$n: $notes notes, $mb MB; warming the cache"
    find "$vault" -type f -print0 | xargs -0 cat >/dev/null

    # The persistent cache of this run, outside the vault; cold runs do not use it.
    cache="$results/cache-$profile-$n"
    no_cache=""
    [ "$has_cache" = 1 ] && no_cache="--no-cache"
    check_cmd="$(q "$NOTELINT") check . $no_cache ${jobs[*]} --format json > /dev/null"
    cached_cmd="NOTELINT_CACHE_DIR=$(q "$cache") $(q "$NOTELINT") check . ${jobs[*]} --format json > /dev/null"
    floor_cmd="find . -name '*.md' -print0 | xargs -0 cat > /dev/null"
    # A literal no note holds: rg reads every byte of every note, on every core.
    rg_cmd="rg --no-messages --files-with-matches --glob '*.md' -e 'notelint-floor-no-match-Qz' . > /dev/null"
    log "floor (cat of the .md files), $runs runs"
    T[floor,$key]=$(time_cmd "floor-$profile-$n" "$runs" 1 "$vault" "$floor_cmd")
    T[rg,$key]=""
    if [ $have_rg = 1 ]; then
        log "floor (rg reading the .md files in parallel), $runs runs"
        T[rg,$key]=$(time_cmd "rg-$profile-$n" "$runs" 1 "$vault" "$rg_cmd")
    fi
    log "notelint check (cold), $runs runs"
    T[notelint,$key]=$(time_cmd "notelint-$profile-$n" "$runs" 1 "$vault" "$check_cmd")
    "$NOTELINT" check "$vault" $no_cache --format concise --statistics 2>/dev/null | tail -12 >"$results/findings-$profile-$n.txt" || true

    T[cached,$key]=""
    T[changed,$key]=""
    # The editor note: the first of the largest folder, alone and with a broken link added.
    folder=$(cd "$vault" && ls -d */ | while read -r d; do echo "$(ls "$d" | wc -l) $d"; done | sort -rn | awk 'NR == 1 {print $2}')
    editor_note="$folder$(ls "$vault/$folder" | LC_ALL=C sort | awk 'NR == 1')"
    broken_input="$results/editor-broken-$profile-$n.md"
    { cat "$vault/$editor_note"; printf '\nSee [[No Such Note Anywhere]].\n'; } >"$broken_input"
    editor_cmd() { # INPUT CACHE?
        local env="" flag="$no_cache"
        if [ "$2" = cache ]; then env="NOTELINT_CACHE_DIR=$(q "$cache") "; flag=""; fi
        echo "$env$(q "$NOTELINT") check $flag --stdin-filename $(q "$editor_note") --format concise < $(q "$1") > /dev/null"
    }
    if [ "$has_cache" = 1 ]; then
        log "notelint check with the cache (unchanged vault), $runs runs"
        T[cached,$key]=$(time_cmd "cached-$profile-$n" "$runs" 1 "$vault" "$cached_cmd")
        # One note changed before each run (a line appended), restored afterwards.
        changed_note="$editor_note"
        cp -p "$vault/$changed_note" "$results/changed-note.orig"
        log "notelint check with the cache, one note changed before each run, $runs runs"
        T[changed,$key]=$(time_cmd "changed-$profile-$n" "$runs" 1 "$vault" "$cached_cmd" \
            "printf '\\nEdited.\\n' >> $(q "$changed_note")")
        cp -p "$results/changed-note.orig" "$vault/$changed_note"
        # The cache of the unchanged vault again, for the editor checks.
        (cd "$vault" && bash -c "$cached_cmd") || true
        log "editor check with the cache ($editor_note), $runs runs"
        T[editor_cache,$key]=$(time_cmd "editor-cache-$profile-$n" "$runs" 1 "$vault" "$(editor_cmd "$vault/$editor_note" cache)")
        log "editor check with the cache, broken link, $runs runs"
        T[editor_cache_broken,$key]=$(time_cmd "editor-cache-broken-$profile-$n" "$runs" 1 "$vault" "$(editor_cmd "$broken_input" cache)")
    fi
    log "editor check without the cache ($editor_note), $runs runs"
    T[editor,$key]=$(time_cmd "editor-$profile-$n" "$runs" 1 "$vault" "$(editor_cmd "$vault/$editor_note" nocache)")
    log "editor check without the cache, broken link, $runs runs"
    T[editor_broken,$key]=$(time_cmd "editor-broken-$profile-$n" "$runs" 1 "$vault" "$(editor_cmd "$broken_input" nocache)")

    log "peak RSS of notelint check, cold and cached (3 runs each)"
    RSS[cold,$key]=$(peak_rss_mb "$vault" "$(q "$NOTELINT") check . $no_cache ${jobs[*]} --format json")
    RSS[cached,$key]=""
    if [ "$has_cache" = 1 ]; then
        RSS[cached,$key]=$(peak_rss_mb "$vault" "env NOTELINT_CACHE_DIR=$(q "$cache") $(q "$NOTELINT") check . ${jobs[*]} --format json")
    fi
    du -sm "$cache" 2>/dev/null | cut -f1 >"$results/cache-size-$profile-$n.mb" || true

    # The peers' configurations are written for the repo profile's schemas.
    peer_names_here=()
    [ "$profile" = repo ] && peer_names_here=("${peer_names[@]}")
    for p in "${peer_names_here[@]}"; do
        T[$p,$key]=""
        if [ -n "$prev_size" ] && [ -n "${T[$p,$profile,$prev_size]}" ]; then
            est=$(awk -v t="${T[$p,$profile,$prev_size]}" -v a="$prev_size" -v b="$n" 'BEGIN {printf "%.0f", t * b / a}')
            if [ "$est" -gt "$peer_max" ]; then
                NOTE_[$p,$key]="skipped: est. ${est} s/run"
                log "$p: skipped (estimated ${est} s per run > --peer-max $peer_max)"
                continue
            fi
        fi
        peer_setup "$p" "$vault"
        cmd=$(peer_cmd "$p" "$vault")
        log "$p: probe run"
        probe=$(time_cmd "$p-$n-probe" 1 0 "$vault" "$cmd")
        if [ "$peer_runs" -le 1 ]; then
            T[$p,$key]=$probe
        elif awk -v t="$probe" -v m="$peer_max" -v r="$peer_runs" 'BEGIN {exit !(t * r > m)}'; then
            T[$p,$key]=$probe
            NOTE_[$p,$key]="1 run"
        else
            # The probe counts as the first of the runs.
            log "$p: $((peer_runs - 1)) more runs"
            time_cmd "$p-$n" $((peer_runs - 1)) 0 "$vault" "$cmd" >/dev/null
            cat "$results/$p-$n-probe.times" >>"$results/$p-$n.times"
            T[$p,$key]=$(median_of "$results/$p-$n.times")
        fi
    done
    prev_size=$n
    log "$profile vault-$n: cold $(cell "${T[notelint,$key]}"), rg $(cell "${T[rg,$key]}"), cat $(cell "${T[floor,$key]}"), cached $(cell "${T[cached,$key]}"), editor $(cell "${T[editor,$key]}"), RSS ${RSS[cold,$key]} MB"
done
done

# The opt-in million: one cold check (time and peak RSS), then the vault is deleted.
M_time=""; M_rss=""; M_rg=""; M_floor=""
if [ "$million" = 1 ]; then
    n=1000000
    vault=$(vault_dir crm $n)
    # ~2 KB notes in 4 KB blocks, plus folders: ~5 GB; refuse unless three times that is
    # free (other work shares the disk), and delete the vault however the run ends.
    free_kb=$(df -Pk "$bench" | awk 'NR == 2 {print $4}')
    if [ "$free_kb" -lt $((15 * 1024 * 1024)) ]; then
        log "1,000,000 notes: skipped, $((free_kb / 1024 / 1024)) GB free on the disk (15 GB wanted)"
        million=0
    fi
fi
if [ "$million" = 1 ]; then
    trap 'rm -rf "$vault"' EXIT
    if ! vault=$(ensure_vault crm $n) || [ ! -f "$vault/.gen_vault" ]; then
        log "1,000,000 notes: generation failed; vault deleted"
        rm -rf "$vault"
        exit 1
    fi
    log "crm vault-$n: warming the cache"
    find "$vault" -type f -print0 | xargs -0 cat >/dev/null
    M_rg=""
    if [ $have_rg = 1 ]; then
        M_rg=$(time_cmd "rg-crm-$n" 1 0 "$vault" "$rg_cmd")
    fi
    M_floor=$(time_cmd "floor-crm-$n" 1 0 "$vault" "$floor_cmd")
    log "notelint check (cold) of 1,000,000 notes, one run under /usr/bin/time"
    M_rss=$(peak_rss_mb "$vault" "$(q "$NOTELINT") check . $no_cache ${jobs[*]} --format json" 1)
    M_time=$(elapsed_s)
    log "deleting $vault"
    rm -rf "$vault"
    trap - EXIT
fi
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at end" | tee -a "$results/env.txt" >&2

# ---------------------------------------------------------------- table
{
    echo "| profile | notes | cold check | rg floor | cat floor | cold ÷ rg | cold ÷ cat | cached | cached ÷ rg | 1 note changed | editor (cache) | editor, broken link (cache) | editor (no cache) | editor, broken link (no cache) | peak RSS cold | peak RSS cached |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for key in "${rows[@]}"; do
        profile=${key%,*}
        n=${key#*,}
        echo "| $profile | $n | $(cell "${T[notelint,$key]}") | $(cell "${T[rg,$key]}") | $(cell "${T[floor,$key]}") | $(ratio "${T[notelint,$key]}" "${T[rg,$key]}") | $(ratio "${T[notelint,$key]}" "${T[floor,$key]}") | $(cell "${T[cached,$key]}") | $(ratio "${T[cached,$key]}" "${T[rg,$key]}") | $(cell "${T[changed,$key]}") | $(cell "${T[editor_cache,$key]:-}") | $(cell "${T[editor_cache_broken,$key]:-}") | $(cell "${T[editor,$key]}") | $(cell "${T[editor_broken,$key]}") | ${RSS[cold,$key]} MB | $( [ -n "${RSS[cached,$key]:-}" ] && echo "${RSS[cached,$key]} MB" || echo "—") |"
    done
    if [ "$million" = 1 ]; then
        echo
        echo "1,000,000 notes (crm profile, one cold run): $(cell "$M_time"), peak RSS $M_rss MB; rg floor $(cell "$M_rg"), cat floor $(cell "$M_floor"); cold ÷ rg $(ratio "$M_time" "$M_rg")"
    fi
    if [ ${#peer_names[@]} -gt 0 ] && [[ " ${profiles[*]} " == *" repo "* ]]; then
        echo
        header="| notes (repo profile) | notelint check |"
        rule="|---:|---:|"
        for p in "${peer_names[@]}"; do
            header+=" $p (÷ notelint) |"
            rule+="---:|"
        done
        echo "$header"
        echo "$rule"
        for n in "${sizes[@]}"; do
            key="repo,$n"
            row="| $n | $(fmt_s "${T[notelint,$key]}") |"
            for p in "${peer_names[@]}"; do
                if [ -n "${T[$p,$key]:-}" ]; then
                    c="$(fmt_s "${T[$p,$key]}") ($(ratio "${T[$p,$key]}" "${T[notelint,$key]}"))"
                    [ -n "${NOTE_[$p,$key]:-}" ] && c+=" [${NOTE_[$p,$key]}]"
                else
                    c="— [${NOTE_[$p,$key]:-not run}]"
                fi
                row+=" $c |"
            done
            echo "$row"
        done
    fi
    echo
    echo "Medians of $runs runs after 1 warm-up (peers: $peer_runs runs, or one run alone, marked). Cold: --no-cache."
    echo "Cached: with the cache of an earlier run (NOTELINT_CACHE_DIR in the results folder); 1 note changed: a line appended to one note before each run."
    echo "Editor: check --stdin-filename of the first note of the largest folder, and of the same text with a broken link added."
    echo "Peers do different work: see BENCHMARKS.md. Peer ratios are peer time ÷ notelint time."
    echo
    echo "SPEC 9 targets:"
    for key in "${rows[@]}"; do
        profile=${key%,*}
        n=${key#*,}
        [ "$n" -ge 100000 ] || continue
        verdict() { awk -v v="$1" -v limit="$2" 'BEGIN {print (v != "" && v + 0 <= limit ? "(met)" : "(MISSED)")}'; }
        if [ -n "${T[rg,$key]}" ]; then
            r=$(awk -v a="${T[notelint,$key]}" -v b="${T[rg,$key]}" 'BEGIN{printf "%.2f", a/b}')
            echo "- $profile $n: cold check ≤ 3× the rg floor: ${r}× $(verdict "$r" 3)"
            if [ -n "${T[cached,$key]}" ]; then
                r=$(awk -v a="${T[cached,$key]}" -v b="${T[rg,$key]}" 'BEGIN{printf "%.2f", a/b}')
                echo "- $profile $n: cached check ≤ 1.5× the rg floor: ${r}× $(verdict "$r" 1.5)"
            fi
        fi
        for e in editor_cache editor_cache_broken; do
            [ -n "${T[$e,$key]:-}" ] || continue
            echo "- $profile $n: $e < 50 ms: $(fmt_s "${T[$e,$key]}") $(verdict "${T[$e,$key]}" 0.05)"
        done
        for e in editor editor_broken; do
            echo "- $profile $n: $e (no cache) < 150 ms: $(fmt_s "${T[$e,$key]}") $(verdict "${T[$e,$key]}" 0.15)"
        done
        echo "- $profile $n: peak RSS < 150 MB: ${RSS[cold,$key]} MB $(verdict "${RSS[cold,$key]}" 150)"
    done
    if [ "$million" = 1 ]; then
        echo "- 1,000,000 notes: peak RSS < 1.5 GB: $M_rss MB $(awk -v m="$M_rss" 'BEGIN {print (m < 1536 ? "(met)" : "(MISSED)")}')"
    fi
    first=${sizes[0]}
    last=${sizes[${#sizes[@]}-1]}
    if [ "$first" != "$last" ]; then
        for profile in "${profiles[@]}"; do
            awk -v t1="${T[notelint,$profile,$first]}" -v t2="${T[notelint,$profile,$last]}" -v m1="${RSS[cold,$profile,$first]}" -v m2="${RSS[cold,$profile,$last]}" -v a="$first" -v b="$last" -v p="$profile" \
                'BEGIN {printf "- %s scaling %d -> %d notes (×%g): time ×%.1f, peak RSS ×%.1f\n", p, a, b, b / a, t2 / t1, m2 / m1}'
        done
    fi
} | tee "$results/table.md"
echo >&2
log "results in $results"
