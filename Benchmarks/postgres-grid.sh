#!/usr/bin/env bash
# The teacher's grid page under load (issue 20): one `acquis serve` on the school's SQLite
# file beside two `acquis serve` processes on one PostgreSQL database holding the same school
# (copied by `acquis base copier`), same run, same data: a class of 30 students × 40
# competencies with 12,000 evaluations (as Benchmarks/web.sh). Then recording evaluations
# through the JSON API on each.
#
#     Benchmarks/postgres-grid.sh          (DURATION=15s by default)
#
# wrk opens 16 connections: all to the SQLite process, or 8 to each PostgreSQL process, the
# session opened on one used on both (sessions are in the database).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/measure.sh
bin=$(release_bin)
work=$(mktemp -d)
duration="${DURATION:-15s}"
db="$work/acquis.sqlite"
servers=()
# Each server is asked to stop (SIGTERM) and given ten seconds: one still running then is
# reported, and killed, rather than left serving the next run's port.
stop_servers() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || continue 2; sleep 0.1; done
        echo "warning: acquis serve (pid $pid) did not stop within 10 s of SIGTERM; killed" >&2
        kill -9 "$pid" 2>/dev/null || true
    done
}

grid_school "$db" "$work"
start_postgres
trap 'stop_servers; "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null; rm -rf "$cluster" "$work"' EXIT
"$bin/acquis" base copier --db "$db" --vers "$postgres" | head -1

serve_on "$db" 18081 "$work" one; servers+=("$one")
serve_on "$postgres" 18082 "$work" first; servers+=("$first")
serve_on "$postgres" 18083 "$work" second; servers+=("$second")
read -r sqlite_cookie sqlite_csrf < <(sign_in_banc 18081 "$work")
read -r pg_cookie pg_csrf < <(sign_in_banc 18082 "$work")
grid="/classes/BENCH?referentiel=BANC-40"
for web in 18081 18082 18083; do
    cookie=$([[ $web == 18081 ]] && echo "$sqlite_cookie" || echo "$pg_cookie")
    curl -s -H "Cookie: $cookie" "http://127.0.0.1:$web$grid" | sed -E 's/name="_csrf" value="[^"]*"//; s/nonce-[A-Za-z0-9+\/=]*//g' > "$work/grid-$web.html"
done
cmp -s "$work/grid-18081.html" "$work/grid-18082.html" && cmp -s "$work/grid-18082.html" "$work/grid-18083.html" \
    && echo "the three processes serve the same grid page ($(wc -c < "$work/grid-18081.html") bytes)" \
    || { echo "warning: the grid pages differ between engines:"; diff "$work/grid-18081.html" "$work/grid-18082.html" | head -20 || true; }

# Sums the requests/s of wrk reports and prints the worst latency percentiles.
summary() {
    awk '/Requests\/sec/ { rps += $2 } / 50%/ { p50 = p50 " " $2 } / 99%/ { p99 = p99 " " $2 } /Non-2xx/ { bad += $4 }
         END { printf "%8.1f requests/s, p50%s, p99%s%s\n", rps, p50, p99, bad ? ", non-2xx " bad : "" }' "$@"
}

echo "1. grid page, 30 × 40, wrk 16 connections, $duration"
wrk -t2 -c16 -d"$duration" --latency -H "Cookie: $sqlite_cookie" "http://127.0.0.1:18081$grid" > "$work/sqlite.txt"
printf "%-34s" "SQLite, one process:"; summary "$work/sqlite.txt"
wrk -t1 -c8 -d"$duration" --latency -H "Cookie: $pg_cookie" "http://127.0.0.1:18082$grid" > "$work/pg1.txt" &
beside=$!
wrk -t1 -c8 -d"$duration" --latency -H "Cookie: $pg_cookie" "http://127.0.0.1:18083$grid" > "$work/pg2.txt"
wait "$beside"
printf "%-34s" "PostgreSQL, two processes:"; summary "$work/pg1.txt" "$work/pg2.txt"
awk '/Requests\/sec/ { if (FILENAME ~ /sqlite/) s += $2; else p += $2 }
     END { printf "SQLite ÷ PostgreSQL pages/s: %.2fx (target ≤ 2)\n", s / p }' "$work/sqlite.txt" "$work/pg1.txt" "$work/pg2.txt"

# The class's 30 students, in the same order on both engines.
sqlite_students=$(sqlite3 "$db" "SELECT group_concat(id, ',') FROM (SELECT id FROM student WHERE ine LIKE '95%X' ORDER BY ine)")
pg_students=$("$pg_bin/psql" -qtA -h 127.0.0.1 -p "$port" -U acquis acquis \
    -c "SELECT string_agg(CAST(id AS TEXT), ',' ORDER BY ine) FROM student WHERE ine LIKE '95%X'")
record_script "$work/record-sqlite.lua" "$sqlite_cookie" "$sqlite_csrf" "$sqlite_students"
record_script "$work/record-pg1.lua" "$pg_cookie" "$pg_csrf" "$pg_students"
record_script "$work/record-pg2.lua" "$pg_cookie" "$pg_csrf" "$pg_students" 600
echo "2. recording an evaluation through the API, the next cell of the grid each time, one committed transaction each, wrk 8 connections, $duration"
wrk -t2 -c8 -d"$duration" --latency -s "$work/record-sqlite.lua" http://127.0.0.1:18081 > "$work/rec-sqlite.txt"
printf "%-34s" "SQLite, one process:"; summary "$work/rec-sqlite.txt"
wrk -t1 -c4 -d"$duration" --latency -s "$work/record-pg1.lua" http://127.0.0.1:18082 > "$work/rec-pg1.txt" &
beside=$!
wrk -t1 -c4 -d"$duration" --latency -s "$work/record-pg2.lua" http://127.0.0.1:18083 > "$work/rec-pg2.txt"
wait "$beside"
printf "%-34s" "PostgreSQL, two processes:"; summary "$work/rec-pg1.txt" "$work/rec-pg2.txt"
awk '/Requests\/sec/ { if (FILENAME ~ /sqlite/) s += $2; else p += $2 }
     END { printf "SQLite ÷ PostgreSQL records/s: %.2fx (target ≤ 2)\n", s / p }' "$work/rec-sqlite.txt" "$work/rec-pg1.txt" "$work/rec-pg2.txt"
