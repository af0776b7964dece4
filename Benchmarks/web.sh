#!/usr/bin/env bash
# Web app under load on loopback (wrk from Debian): the teacher's grid page of a class of 30
# students × 40 competencies (latency p50 / p99, requests/s), and recording one evaluation
# through the JSON API, each a committed SQLite transaction (requests/s). Same run, as the
# references: a static file of the grid page's size served by the same server, and sqlite3
# inserting the same rows one transaction each.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/measure.sh
bin=$(release_bin)
work=$(mktemp -d)
# The static reference is served from the web module's resources, read when the server starts.
public_dir="$bin/Acquis_AcquisWeb.resources/Public"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work" "$public_dir/banc-grille.html"' EXIT
db="$work/acquis.sqlite"
duration="${DURATION:-15s}"

grid_school "$db" "$work"

port=18080
# A first start gives the grid page; the static copy of its size is served after a restart.
serve_on "$db" "$port" "$work" server
read -r cookie csrf < <(sign_in_banc "$port" "$work")
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/classes/BENCH?referentiel=BANC-40" >"$public_dir/banc-grille.html"
kill "$server"; wait "$server" 2>/dev/null || true

serve_on "$db" "$port" "$work" server
read -r cookie csrf < <(sign_in_banc "$port" "$work")
grid="http://127.0.0.1:$port/classes/BENCH?referentiel=BANC-40"
columns=$(curl -s -H "Cookie: $cookie" "$grid" | grep -o 'name="c-[0-9]*-' | sort -u | wc -l)
cells=$(curl -s -H "Cookie: $cookie" "$grid" | grep -o 'class="cell"' | wc -l)
echo "grid page: $columns students, $((cells / columns)) competencies, $(curl -s -H "Cookie: $cookie" "$grid" | wc -c) bytes"

echo "1. teacher grid page, 30 × 40 (wrk -t2 -c16 -d$duration)"
wrk -t2 -c16 -d"$duration" --latency -H "Cookie: $cookie" "$grid" | tee "$work/grid.txt" | grep -E "50%|99%|Requests/sec|Non-2xx" || true
echo "   reference: the same number of bytes as a static file from the same server"
wrk -t2 -c16 -d"$duration" --latency "http://127.0.0.1:$port/static/banc-grille.html" | tee "$work/static.txt" | grep -E "50%|99%|Requests/sec|Non-2xx" || true
awk '/Requests\/sec/ { if (FILENAME ~ /grid/) g = $2; else s = $2 } END { printf "   grid pages/s ÷ static pages/s: %.2f\n", g / s }' "$work/grid.txt" "$work/static.txt"

students=$(sqlite3 "$db" "SELECT group_concat(id, ',') FROM (SELECT id FROM student WHERE ine LIKE '95%X' ORDER BY ine)")
record_script "$work/record.lua" "$cookie" "$csrf" "$students"
before=$(sqlite3 "$db" "SELECT COUNT(*) FROM evaluation")
echo "   the same grid as JSON (GET /api/v1/classes/BENCH/grille): reading without rendering"
wrk -t2 -c16 -d5s --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/classes/BENCH/grille?referentiel=BANC-40" | grep -E "50%|Requests/sec" || true
echo "2. recording an evaluation through the API, one committed transaction each (wrk -t2 -c8 -d$duration)"
wrk -t2 -c8 -d"$duration" --latency -s "$work/record.lua" "http://127.0.0.1:$port" | grep -E "50%|99%|Requests/sec|Non-2xx" || true
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM evaluation")
echo "   evaluations stored during the run: $((after - before))"
kill "$server"; wait "$server" 2>/dev/null || true

echo "3. reference: sqlite3 CLI, 2,000 single-row transactions into the same table (WAL, synchronous=NORMAL)"
node=$(sqlite3 "$db" "SELECT nodeId FROM evaluation LIMIT 1")
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
  for i in $(seq 2000); do
    echo "INSERT INTO evaluation (studentId, nodeId, code, observedOn, context, isOverride, recordedAt) VALUES ($student, $node, 'A', '2026-11-20', 'classe', 0, '2026-11-20 10:00:00');"
  done
} >"$work/inserts.sql"
read -r seconds _ < <(measure sqlite3 "$db" ".read $work/inserts.sql")
awk -v s="$seconds" 'BEGIN { printf "   sqlite3: %.0f transactions/s (%.2f s)\n", 2000 / s, s }'
