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

cp "$db" /tmp/bench.sqlite
