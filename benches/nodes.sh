#!/usr/bin/env bash
# The city platform's figures (docs/PERFORMANCE.md), on one machine:
#   1. SCREENS simulated screens (default 20000) long-poll plaza-tv's feed spread over two
#      `serve` nodes on one PostgreSQL database; a CAP alert is posted to the first node; each
#      screen's time from the POST to holding the new feed, signature verified: p50 / p99 / max
#      over ROUNDS rounds (default 3);
#   2. feed requests per second from one node (closed loop, 64 connections, 10 s), PostgreSQL
#      node against a SQLite service with the same demo office;
#   3. a node killed under load: screens with both nodes' URLs polling, node B killed: the polls
#      that failed on every URL (errors), those answered by the other node (failovers), latency.
# PostgreSQL 15 from Debian runs in a temporary folder as the user `postgres` (it refuses root).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
bin=$PWD/target/release/noticecast
screens=${SCREENS:-20000}
rounds=${ROUNDS:-3}
work=$(mktemp -d)
chmod 755 "$work"
export XDG_RUNTIME_DIR="$work"
pids=()
pg=/usr/lib/postgresql/15/bin
as_pg=(); [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "${as_pg[@]}" "$pg/pg_ctl" -D "$work/pg/data" stop -m fast >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# A process may hold this many descriptors here (no more without CAP_SYS_RESOURCE): the screens
# are simulated by two processes, one per node, each holding its half.
ulimit -n "$(ulimit -Hn)"

mkdir -p "$work/pg"; [ "$(id -u)" -eq 0 ] && chown postgres "$work/pg"
"${as_pg[@]}" "$pg/initdb" -D "$work/pg/data" -A trust -U postgres --no-sync >/dev/null
pgport=${PGPORT:-55499}
"${as_pg[@]}" "$pg/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE DATABASE city"
db="postgres://postgres@127.0.0.1:$pgport/city"
a=18191; b=18192; lite=18193

"$bin" demo-seed --data "$work/svc" --database "$db" --listen "127.0.0.1:$a" >/dev/null 2>&1
token=$("$bin" source add --data "$work/svc" --database "$db" bench-qxt --publish direct \
  --areas 330100 2>/dev/null)
for port in $a $b; do
  NOTICECAST_LOG=warn "$bin" serve --data "$work/svc" --database "$db" \
    --listen "127.0.0.1:$port" --max-waiters $((screens / 2 + 1000)) &
  pids+=($!)
done
"$bin" demo-seed --data "$work/lite" --listen "127.0.0.1:$lite" >/dev/null 2>&1
NOTICECAST_LOG=warn "$bin" serve --data "$work/lite" --listen "127.0.0.1:$lite" &
pids+=($!)
for port in $a $b $lite; do
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "PostgreSQL: $("$pg/postgres" --version)"

source benches/alert-messages.sh
port=$a  # `post` (alert-messages.sh) posts to the first node

half=$((screens / 2))
echo "1. $screens screens long-polling /feed/plaza-tv, $half on each node, an alert posted to node A, $rounds rounds"
echo "   (two loadgen processes: the first line node B's screens, the second node A's)"
for r in $(seq "$rounds"); do
  alert alert "bench-nodes-$r" > "$work/a.xml"
  rm -f "$work/posted"
  "$bin" loadgen "http://127.0.0.1:$b/feed/plaza-tv" --waiters "$half" \
    --posted-at "$work/posted" > "$work/b.json" &
  listener=$!
  sleep $((5 + half / 1000))
  "$bin" loadgen "http://127.0.0.1:$a/feed/plaza-tv" --waiters "$half" \
    --alert "$work/a.xml" --token "$token" --posted-at "$work/posted" > "$work/a.json"
  wait "$listener"
  cat "$work/b.json" "$work/a.json"
  alert cancel "bench-nodes-$r-cancel" "bench-nodes-$r" > "$work/c.xml"
  [ "$(post "$work/c.xml")" = 200 ] || { echo "cancel refused"; exit 1; }
done

echo "2. feed requests per second, 64 connections, 10 s: a PostgreSQL node, then SQLite"
"$bin" loadgen "http://127.0.0.1:$a/feed/plaza-tv" --connections 64 --duration-s 10
"$bin" loadgen "http://127.0.0.1:$lite/feed/plaza-tv" --connections 64 --duration-s 10

echo "3. node B killed under load: 10,000 screens polling every 10 s (If-None-Match), each with"
echo "   both nodes' URLs, half of them node B's first; node B killed (SIGKILL) 15 s into 40 s"
"$bin" loadgen "http://127.0.0.1:$a/feed/plaza-tv" --also "http://127.0.0.1:$b/feed/plaza-tv" \
  --screens 10000 --interval-s 10 --duration-s 40 --conditional > "$work/kill.json" &
load=$!
sleep 15
kill -9 "${pids[1]}"
wait "$load"
cat "$work/kill.json"
