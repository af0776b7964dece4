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

"$bin/acquis" demo --db "$db" --cles "$work/cles" >/dev/null
# A referential of 4 blocks × 10 competencies, and a class of 30 students with 10 evaluations
# on each competency (12,000 evaluations).
python3 - "$work" <<'PY'
import sys, random
work = sys.argv[1]
random.seed(6)
blocks = "".join(
    f'<block code="B{b}"><title>Bloc {b}</title>'
    + "".join(f'<competency code="B{b}.{c}"><title>Compétence {b}.{c}</title></competency>' for c in range(1, 11))
    + "</block>" for b in range(1, 5))
with open(f"{work}/banc.xml", "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<referential xmlns="urn:acquis:referential:1" code="BANC-40" '
            f'version="1" kind="diplome" scale="acquis-4"><title>Banc d’essai</title>{blocks}</referential>\n')
with open(f"{work}/bench-students.csv", "w", encoding="utf-8") as f:
    f.write("INE;Nom;Prénom;Classe\n")
    for i in range(30):
        f.write(f"95{i:08d}X;BANC{i:02d};Élève;BENCH\n")
with open(f"{work}/bench-evaluations.csv", "w", encoding="utf-8") as f:
    f.write("INE;Référentiel;Compétence;Niveau;Date;Contexte\n")
    for i in range(30):
        for b in range(1, 5):
            for c in range(1, 11):
                for day in range(10):
                    f.write(f"95{i:08d}X;BANC-40;B{b}.{c};{random.choice(['PE', 'EC', 'A', 'M'])};{day + 1:02d}/10/2026;classe\n")
PY
"$bin/acquis" referentiel import "$work/banc.xml" --db "$db" >/dev/null
"$bin/acquis" eleves import "$work/bench-students.csv" --db "$db" --uai 0579999Z --annee 2026 >/dev/null
"$bin/acquis" eval import "$work/bench-evaluations.csv" --db "$db" >/dev/null
echo "mot-de-passe-du-banc" | "$bin/acquis" compte creer --db "$db" --identifiant banc --role enseignant --nom Banc --classes BENCH >/dev/null

port=18080
start_server() {
    "$bin/acquis" serve --db "$db" --cles "$work/cles" --port "$port" >"$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/connexion" >/dev/null && break; sleep 0.2; done
}
# A first start gives the grid page; the static copy of its size is served after a restart.
start_server
login=$(curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
        -d '{"identifiant":"banc","motDePasse":"mot-de-passe-du-banc"}' "http://127.0.0.1:$port/api/v1/session")
cookie=$(awk '$6 == "acquis_session" { print "acquis_session=" $7 }' "$work/cookies")
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/classes/BENCH?referentiel=BANC-40" >"$public_dir/banc-grille.html"
kill "$server"; wait "$server" 2>/dev/null || true

start_server
login=$(curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
        -d '{"identifiant":"banc","motDePasse":"mot-de-passe-du-banc"}' "http://127.0.0.1:$port/api/v1/session")
csrf=$(echo "$login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["csrf"])')
cookie=$(awk '$6 == "acquis_session" { print "acquis_session=" $7 }' "$work/cookies")
grid="http://127.0.0.1:$port/classes/BENCH?referentiel=BANC-40"
columns=$(curl -s -H "Cookie: $cookie" "$grid" | grep -o 'name="c-[0-9]*-' | sort -u | wc -l)
cells=$(curl -s -H "Cookie: $cookie" "$grid" | grep -o 'class="cell"' | wc -l)
echo "grid page: $columns students, $((cells / columns)) competencies, $(curl -s -H "Cookie: $cookie" "$grid" | wc -c) bytes"

echo "1. teacher grid page, 30 × 40 (wrk -t2 -c16 -d$duration)"
wrk -t2 -c16 -d"$duration" --latency -H "Cookie: $cookie" "$grid" | tee "$work/grid.txt" | grep -E "50%|99%|Requests/sec|Non-2xx" || true
echo "   reference: the same number of bytes as a static file from the same server"
wrk -t2 -c16 -d"$duration" --latency "http://127.0.0.1:$port/static/banc-grille.html" | tee "$work/static.txt" | grep -E "50%|99%|Requests/sec|Non-2xx" || true
awk '/Requests\/sec/ { if (FILENAME ~ /grid/) g = $2; else s = $2 } END { printf "   grid pages/s ÷ static pages/s: %.2f\n", g / s }' "$work/grid.txt" "$work/static.txt"

student=$(sqlite3 "$db" "SELECT id FROM student WHERE ine = '9500000000X'")
cat >"$work/record.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["X-CSRF-Token"] = "$csrf"
local levels = {"A", "M"}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/evaluations", nil,
    '{"eleve": $student, "referentiel": "BANC-40", "competence": "B1.1", "niveau": "' .. levels[n % 2 + 1] .. '"}')
end
LUA
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
