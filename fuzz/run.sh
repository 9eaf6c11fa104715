#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) each, seeded from ../shared/corpus when it is
# there, and prints each target's executions per second, coverage and crashes. Needs the
# nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Crashes are kept under
# fuzz/artifacts/<target>/; each one becomes a regression test.
#
#   bash fuzz/run.sh [SECONDS]
#   bash fuzz/run.sh --smoke     # CI: 3 s per target, a debug build without sanitizer
#                                # (about 45 s to build on two cores instead of 2.5 min)
set -u
cd "$(dirname "$0")"
build=()
if [ "${1:-}" = "--smoke" ]; then
  secs=3
  build=(--dev -s none)
else
  secs="${1:-60}"
fi
shared="../../shared/corpus"
seed() { # target, file pattern
  local dir="corpus/$1"
  mkdir -p "$dir"
  if [ -d "$shared" ] && [ -z "$(ls -A "$dir")" ]; then
    find "$shared" -type f -name "$2" -size -200k | head -300 | while read -r f; do
      cp "$f" "$dir/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
    done
  fi
}
seed parse_check '*.md'
seed foreign '*'
seed edit '*.md'
seed config '*.toml'
mkdir -p corpus/journal
ls ../target/test-tmp/*/.planwright/runs/*/events.jsonl >/dev/null 2>&1 &&
  [ -z "$(ls -A corpus/journal)" ] &&
  for f in ../target/test-tmp/*/.planwright/runs/*/events.jsonl; do
    cp "$f" "corpus/journal/$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
  done
status=0
for t in parse_check foreign edit config journal; do
  log="$(mktemp)"
  if cargo +nightly fuzz run "${build[@]}" "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 >"$log" 2>&1; then
    result=ok
  else
    result=CRASH
    status=1
  fi
  line="$(grep -E "^#[0-9]+.*(DONE|pulse|NEW)" "$log" | tail -1 || true)"
  echo "$t: $result — ${line:-no stats}"
  [ "$result" = ok ] || tail -30 "$log"
  rm -f "$log"
done
exit "$status"
