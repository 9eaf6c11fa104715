#!/usr/bin/env bash
# Hostile inputs, each checked by the release binary with its wall time and peak memory:
# the table of docs/limits.md. Every one must end with exit 0, 1 or 2 and a diagnostic, never
# a crash.
#
#   bash scripts/limits.sh > docs/limits.md
set -u
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/planwright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/spec/plans" "$work/.taskmaster/tasks" "$work/.beads"
: > "$work/planwright.toml"


python3 - "$work" <<'PY'
import sys, os, json
w = sys.argv[1]
def plan(name, text):
    os.makedirs(f"{w}/spec/plans/{name}", exist_ok=True)
    open(f"{w}/spec/plans/{name}/README.md", "w").write(text)
head = lambda t: f"# Plan: {t}\n\n**Status:** draft\n\n## Steps\n\n"
step = lambda i, dep: f"### {i}. Step {i}\n\n**Depends on:** {dep}\n\n**Verify:** `true`\n\n"
# 100,000 steps in a chain (about 6 MB).
plan("steps-100k", head("chain") + "".join(step(i, "(none)" if i == 1 else f"Step {i-1}") for i in range(1, 100001)))
# A 10,000-step cycle.
plan("cycle-10k", head("cycle") + "".join(step(i, f"Step {10000 if i == 1 else i-1}") for i in range(1, 10001)))
# 100 MB of prose.
para = "A line of plain prose that says nothing in particular, again and again.\n"
plan("prose-100mb", head("big") + step(1, "(none)") + para * (100_000_000 // len(para)))
# One 5 MB line.
plan("line-5mb", head("line") + step(1, "(none)") + "x" * 5_000_000 + "\n")
# 10,000-deep nested lists and blockquotes.
plan("nested-lists", head("lists") + "".join("  " * d + "- item\n" for d in range(10000)))
plan("nested-quotes", head("quotes") + "".join(">" * d + " q\n" for d in range(1, 10001)))
# NUL bytes, a BOM, CR-only line endings.
plan("nul", head("nul") + "a\0b\0" * 100000 + "\n")
plan("bom-cr", ("\ufeff" + head("bom") + step(1, "(none)")).replace("\n", "\r"))
# A step number beyond u64, and a Depends on list of 100,000 entries.
plan("huge-number", head("number") + step(123456789012345678901234567890, "(none)"))
plan("deps-100k", head("deps") + step(1, ", ".join(f"Step {i}" for i in range(2, 100002))))
# Taskmaster: 50 MB, and 100,000 deep.
tasks = [{"id": i, "title": "t" * 400, "status": "pending", "dependencies": [i - 1] if i > 1 else []} for i in range(1, 110000)]
open(f"{w}/.taskmaster/tasks/tasks.json", "w").write(json.dumps({"tasks": tasks}))
os.makedirs(f"{w}/deep/.taskmaster/tasks", exist_ok=True)
open(f"{w}/deep/.taskmaster/tasks/tasks.json", "w").write('{"tasks":' + "[" * 100000 + "]" * 100000 + "}")
# Beads with garbage lines.
open(f"{w}/.beads/issues.jsonl", "w").write("".join(
    (json.dumps({"id": f"bd-{i}", "title": "x", "status": "open"}) if i % 3 else "garbage {{{ \0") + "\n"
    for i in range(100000)))
PY

measure() { # label, args...
  local label="$1"; shift
  local out
  out="$( { /usr/bin/time -f '%e %M' "$bin" "$@" >/dev/null 2>"$work/err"; echo "exit $?"; } 2>&1 )"
  local code time mem
  code="$(printf '%s\n' "$out" | sed -n 's/^exit //p')"
  read -r time mem < <(tail -1 "$work/err")
  printf '| %s | %s s | %s MB | %s |\n' "$label" "$time" "$((mem / 1024))" "$code"
}

echo "# Limits"
echo
echo "Hostile inputs, each checked alone by the release binary (\`bash scripts/limits.sh >"
echo "docs/limits.md\` regenerates this table). Exit 0 is clean, 1 findings, 2 a usage or I/O"
echo "error; a crash or an abort would be a defect."
echo
echo "| Input | Wall time | Peak memory | Exit |"
echo "|---|---|---|---|"
for p in steps-100k cycle-10k prose-100mb line-5mb nested-lists nested-quotes nul bom-cr huge-number deps-100k; do
  measure "\`$p\`" --root "$work" check "$work/spec/plans/$p/README.md"
done
measure "Taskmaster \`tasks.json\`, 110,000 tasks ($(du -m "$work/.taskmaster/tasks/tasks.json" | cut -f1) MB)" --root "$work" check "$work/.taskmaster/tasks/tasks.json"
measure "Taskmaster \`tasks.json\` nested 100,000 deep" --root "$work/deep" check "$work/deep/.taskmaster/tasks/tasks.json"
measure "Beads \`issues.jsonl\`, 100,000 lines, a third garbage" --root "$work" check "$work/.beads/issues.jsonl"
measure "\`graph\` of the 100,000-step chain" --root "$work" graph steps-100k --format json
echo
echo "Measured on $(nproc) cores, $(date -u +%Y-%m-%d)."
