#!/usr/bin/env bash
# Capacity figures (docs/PERFORMANCE.md), on the demo office (`demo-seed`) with a direct alert
# source: WAITERS simulated screens (default 10,000) long-poll plaza-tv's feed; while all of them
# wait, five staff logins and five /healthz are timed and the service's resident memory is read
# from /proc; then a CAP alert is posted and each screen's time from the POST to holding the new
# feed, signature verified, is measured (`noticecast loadgen --waiters --login --service-pid`).
# ROUNDS rounds (default 3), medians printed at the end. The service is pinned to core 0, the
# screens to the others where there are two or more. The service raises its own descriptor
# limit to the hard limit; this script raises the hard limit where it may.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
bin=${BIN:-target/release/noticecast}
port=${PORT:-18095}
waiters=${WAITERS:-10000}
rounds=${ROUNDS:-3}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
# One descriptor per waiting screen on each side, and the reserve.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((waiters + 1100)) ]; then
  echo "the hard descriptor limit $(ulimit -Hn) is under $((waiters + 1100)): lower WAITERS"
  exit 1
fi

"$bin" demo-seed --data "$work/svc" --listen "127.0.0.1:$port" > "$work/users.tsv" 2>/dev/null
token=$("$bin" source add --data "$work/svc" bench-qxt --publish direct --areas 330000 2>/dev/null)
export LOADGEN_PASSWORD
LOADGEN_PASSWORD=$(awk '$1 == "demo-editor" {print $2}' "$work/users.tsv")
serve_pin=(); load_pin=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  serve_pin=(taskset -c 0); load_pin=(taskset -c "1-$(($(nproc) - 1))")
fi
NOTICECAST_LOG=info "${serve_pin[@]}" "$bin" serve --data "$work/svc" --listen "127.0.0.1:$port" \
  2> "$work/serve.log" &
pids+=($!)
pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
grep -E "file descriptors|long polls" "$work/serve.log" | sed 's/^/service: /' || true

# alert KIND ID [REFERENCES] and post FILE.
source benches/alert-messages.sh

echo "$waiters screens long-polling /feed/plaza-tv, $rounds rounds"
for r in $(seq "$rounds"); do
  alert alert "bench-waiters-$r" > "$work/a.xml"
  "${load_pin[@]}" "$bin" loadgen "http://127.0.0.1:$port/feed/plaza-tv" --waiters "$waiters" \
    --alert "$work/a.xml" --token "$token" --login demo-editor --service-pid "$pid" \
    | tee -a "$work/figures.jsonl"
  alert cancel "bench-waiters-$r-cancel" "bench-waiters-$r" > "$work/c.xml"
  [ "$(post "$work/c.xml")" = 200 ] || { echo "cancel refused"; exit 1; }
done
python3 - "$work/figures.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(k):
    return statistics.median(r[k] for r in rows if r.get(k) is not None)
print(f"medians of {len(rows)} rounds: reached {med('reached'):.0f} of {rows[0]['screens']}, "
      f"errors {med('errors'):.0f}; while all wait: login {med('login_p50_ms'):.0f} ms, "
      f"/healthz {med('healthz_p50_ms'):.1f} ms, POST /api/alerts {med('post_ms'):.0f} ms; "
      f"screens holding the warning p50 {med('p50_ms'):.0f} ms, p99 {med('p99_ms'):.0f} ms; "
      f"service RSS {med('rss_before_kb')/1024:.0f} MB before, {med('rss_waiting_kb')/1024:.0f} MB "
      f"waiting ({med('kb_per_waiter'):.1f} KB per screen), {med('rss_after_kb')/1024:.0f} MB after")
PY
