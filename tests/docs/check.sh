#!/usr/bin/env bash
# The docs check: the commands in README.md and docs/ cannot go stale.
# - Blocks fenced as ```bash runnable are run, each in its own process group from the repository root (set -e,
#   a time limit; whatever a block starts in the background is stopped afterwards). A block fails on any error.
# - Every other ```bash block is checked statically: each repository path it names (src/…, tests/…, samples/…,
#   deploy/…, docs/…; build outputs aside) must exist, so a moved script or project is caught.
# Prints one line per block and "docs: N passed, N failed"; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LIMIT=${DOCS_BLOCK_TIMEOUT:-300}
WORK=$(mktemp -d /tmp/st-docs.XXXXXX)
RUNNING=""   # the process group of the block being run, stopped too if this script is stopped
trap '[ -n "$RUNNING" ] && kill -KILL -- "-$RUNNING" 2>/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 143' TERM INT
passed=0 failed=0

# Splits every markdown file into numbered block files: $WORK/<n>.<kind>.sh, kind = run or static.
python3 - "$WORK" README.md docs/*.md <<'PY'
import sys, re, pathlib
out = pathlib.Path(sys.argv[1]); n = 0
for name in sys.argv[2:]:
    lines = pathlib.Path(name).read_text(encoding='utf-8').split('\n')
    i = 0
    while i < len(lines):
        m = re.match(r'^```(bash|sh)\b(.*)$', lines[i])
        if not m: i += 1; continue
        start = i + 1; i += 1; body = []
        while i < len(lines) and not lines[i].startswith('```'): body.append(lines[i]); i += 1
        n += 1
        kind = 'run' if 'runnable' in m.group(2) else 'static'
        (out / f'{n:03d}.{kind}.sh').write_text('\n'.join(body) + '\n', encoding='utf-8')
        (out / f'{n:03d}.where').write_text(f'{name}:{start}', encoding='utf-8')
PY

stop_group() { kill -TERM -- "-$1" 2>/dev/null; sleep 2; kill -KILL -- "-$1" 2>/dev/null; }

for block in "$WORK"/*.sh; do
  [ -e "$block" ] || continue
  where=$(cat "${block%.*.sh}.where")
  if [[ "$block" == *.run.sh ]]; then
    log="$WORK/$(basename "$block").log"
    # The blocks use the documented default ports; something already there would answer in their place.
    busy=""; for port in 5000 5100; do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && busy="$busy $port"; done
    if [ -n "$busy" ]; then
      failed=$((failed + 1)); echo "[docs] ran    $where: FAILED, port(s)$busy already in use (a server left running?)"; continue
    fi
    setsid bash -c "set -euo pipefail; source '$block'" >"$log" 2>&1 &
    pid=$!; RUNNING=$pid
    ( sleep "$LIMIT"; kill -TERM -- "-$pid" 2>/dev/null ) & watchdog=$!
    wait "$pid"; rc=$?
    kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
    stop_group "$pid"; RUNNING=""
    if [ "$rc" = 0 ]; then passed=$((passed + 1)); echo "[docs] ran    $where: ok"
    else failed=$((failed + 1)); echo "[docs] ran    $where: FAILED (exit $rc); its output:"; tail -20 "$log" | sed 's/^/    /'; fi
  else
    missing=$(grep -v '^\s*#' "$block" | grep -oE '(^|[ =("])(src|tests|samples|deploy|docs)/[A-Za-z0-9_./-]*[A-Za-z0-9_]' \
      | sed -E 's/^[ =("]//' | grep -vE '/(bin|obj)/' | sort -u | while read -r path; do [ -e "$ROOT/$path" ] || echo "$path"; done)
    if [ -z "$missing" ]; then passed=$((passed + 1)); echo "[docs] paths  $where: ok"
    else failed=$((failed + 1)); echo "[docs] paths  $where: FAILED, missing: $(echo $missing)"; fi
  fi
done
echo "docs: $passed passed, $failed failed"
echo "$passed $failed" > "${DOCS_RESULT:-/dev/null}"
[ "$failed" = 0 ]
