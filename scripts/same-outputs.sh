#!/usr/bin/env bash
# The outputs of planwright's reading commands, byte for byte, from two builds: the current
# tree and REV (default: HEAD). For refactors that must not change behaviour.
#
#   scripts/same-outputs.sh [REV]
#
# Builds REV in a temporary worktree and the current tree (release), generates a 1,000-plan
# repository with the check bench's generator, gives a few approved plans work items, then runs
# check (human and JSON), show, graph (text and JSON), next, progress, index --dry-run and
# run --dry-run on examples/shop, examples/broken and the generated repository with both
# binaries, plus every command's --help and the dry runs of the editing commands on
# examples/shop, and diffs each pair. Exit 0 when every output is identical.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add -q --detach "$work/old" "$rev"
(cd "$work/old" && CARGO_TARGET_DIR="$PWD/../old-target" cargo build --release --quiet)
cargo build --release --quiet
old="$work/old-target/release/planwright"
new="$PWD/target/release/planwright"

gen="$work/gen"
cargo bench -p planwright --bench check --quiet -- --generate "$gen" 1000 >/dev/null
for p in plan-00003 plan-00006 plan-00010; do
  "$new" --root "$gen" work generate "$p" >/dev/null 2>&1 || true
done

cp -r examples/shop "$work/shop"
cp -r examples/broken "$work/broken"
"$new" --root "$work/shop" work generate add-batch-mode >/dev/null

failed=0
n=0
compare() { # root, args...
  local root="$1"; shift
  local a b
  a="$("$old" --root "$root" "$@" 2>&1; echo "exit $?")"
  b="$("$new" --root "$root" "$@" 2>&1; echo "exit $?")"
  n=$((n + 1))
  if [ "$a" != "$b" ]; then
    failed=$((failed + 1))
    echo "DIFFERS: --root $root $*"
    diff <(echo "$a") <(echo "$b") | head -20
  fi
}

for root in "$work/shop" "$work/broken" "$gen"; do
  compare "$root" check
  compare "$root" check --format json
  compare "$root" next
  compare "$root" progress
  compare "$root" index --dry-run
  plans=$(cd "$root/spec/plans" && find . -name README.md -mindepth 2 | sed 's|^\./||; s|/README.md$||' | sort | head -40)
  for p in $plans; do
    compare "$root" show "$p"
    compare "$root" graph "$p"
    compare "$root" graph "$p" --format json
    compare "$root" run "$p" --dry-run
  done
done
for c in "" check graph show new index submit approve supersede work "work list" "work verify" \
  progress next log run schema config "hook install" rules; do
  # shellcheck disable=SC2086
  compare "$work/shop" $c --help
done
shop="$work/shop"
for p in add-batch-mode checkout json-output migrate-to-v2 refactor-output search-index; do
  compare "$shop" submit "$p" --dry-run
  compare "$shop" approve "$p" --approver @reviewer --date 2026-12-01 --dry-run
  compare "$shop" log "$p" progress "a step landed" --at "2026-12-01 10:00Z" --dry-run
  compare "$shop" log "$p" decision "keep it" --rationale "measured" --author @a --at 2026-12-01 --dry-run
  compare "$shop" work generate "$p" --dry-run
  compare "$shop" supersede "$p" --by json-output --dry-run
  compare "$shop" work list --plan "$p"
done
compare "$shop" new fresh-plan --title "A fresh plan" --author @a --dry-run
compare "$shop" new fresh-exec --template exec --feature search --author @a --dry-run
compare "$shop" work list --status in-progress
compare "$shop" next --format json
compare "$shop" progress --format json
compare "$shop" config
compare "$shop" rules
echo "$n outputs compared, $failed differ"
[ "$failed" -eq 0 ]
