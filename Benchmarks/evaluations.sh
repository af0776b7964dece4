#!/usr/bin/env bash
# The evaluation benchmark of an académie: 4,500 students × 60 competencies.
#
#   1. bulk import of 1,000,000 evaluations, beside the sqlite3 CLI's `.import` of the same CSV
#      into a table with the same indexes;
#   2. recomputation of every mastery from 2,700,000 evaluations (10 per student and competency),
#      beside one sqlite3 window query computing comparable ranks;
#   3. median time to record one evaluation and update the mastery it affects.
#
#     Benchmarks/evaluations.sh
#
# Needs GNU time (Debian: time), sqlite3 and python3 (to write the synthetic files).
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir="bench-data"
database="$data_dir/evaluations.sqlite"
mkdir -p "$data_dir"

source Benchmarks/measure.sh
bin="$(release_bin)"

# Synthetic files, written once: a referential of 60 competencies, 4,500 students, and
# 2.7 million evaluations split into a 1,000,000-row file and the 1,700,000 rows left.
if [[ ! -f "$data_dir/evaluations-rest.csv" ]]; then
    python3 - "$data_dir" <<'PY'
import random, sys, datetime
out = sys.argv[1]
random.seed(42)
with open(f"{out}/bench-referential.xml", "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<referential xmlns="urn:acquis:referential:1" code="BENCH" '
            'version="1" kind="diplome" scale="acquis-4">\n  <title>Référentiel de mesure</title>\n')
    for b in range(6):
        f.write(f'  <block code="B{b+1}">\n    <title>Bloc {b+1}</title>\n')
        for c in range(10):
            f.write(f'    <competency code="C{b+1}.{c+1}"><title>Compétence {b+1}.{c+1}</title></competency>\n')
        f.write('  </block>\n')
    f.write('</referential>\n')
ines = [f"{i:010d}{'ABCDEFGHJK'[i % 10]}" for i in range(1, 4501)]
with open(f"{out}/students.csv", "w") as f:
    f.write("INE;Nom;Prénom;Classe\n")
    for n, ine in enumerate(ines):
        f.write(f"{ine};ELEVE{n};Prénom{n};C{n // 30}\n")
codes = ["PE", "EC", "A", "M"]
contexts = ["classe", "atelier", "pfmp", "projet"]
start = datetime.date(2026, 9, 1)
rows = []
header = "INE;Référentiel;Compétence;Niveau;Date;Contexte;Évaluateur\n"
first = open(f"{out}/evaluations-1m.csv", "w"); rest = open(f"{out}/evaluations-rest.csv", "w")
first.write(header); rest.write(header)
written = 0
for ine in ines:
    for b in range(6):
        for c in range(10):
            level = random.randint(0, 2)
            for k in range(10):
                day = start + datetime.timedelta(days=k * 7 + random.randint(0, 6))
                line = f"{ine};BENCH;C{b+1}.{c+1};{codes[level]};{day.isoformat()};{random.choice(contexts)};prof{random.randint(1, 9)}\n"
                (first if written < 1_000_000 else rest).write(line)
                written += 1
                level = min(3, level + (random.random() < 0.3))
first.close(); rest.close()
PY
fi

rm -f "$database" "$database-wal" "$database-shm" "$data_dir/sqlite-import.sqlite"
"$bin/acquis" referentiel import "$data_dir/bench-referential.xml" --db "$database" >/dev/null
"$bin/acquis" eleves import "$data_dir/students.csv" --uai 0000000X --db "$database" >/dev/null

echo "1. bulk import, 1,000,000 evaluations ($(du -m "$data_dir/evaluations-1m.csv" | cut -f1) MB CSV)"
# The reference: sqlite3's .import into a table shaped like the file, with one index for each
# of Acquis's indexes on its evaluation table (by competency; by student, competency and date).
sqlite3 "$data_dir/sqlite-import.sqlite" "CREATE TABLE evaluation (ine TEXT, referentiel TEXT, competence TEXT, niveau TEXT,
    date TEXT, contexte TEXT, evaluateur TEXT); CREATE INDEX e1 ON evaluation (competence);
    CREATE INDEX e2 ON evaluation (ine, competence, date);"
read -r ss skb < <(measure sqlite3 "$data_dir/sqlite-import.sqlite" ".mode csv" ".separator ;" \
    ".import --skip 1 $data_dir/evaluations-1m.csv evaluation")
row "sqlite3 .import (same indexes, no checks)" "$ss" "$skb"
read -r as akb < <(measure "$bin/acquis" eval import "$data_dir/evaluations-1m.csv" --db "$database")
row "acquis eval import (checked, + masteries)" "$as" "$akb"
awk -v s="$ss" -v a="$as" -v kb="$akb" 'BEGIN { printf "ratio sqlite3 / acquis: %.2f (target ≥ 0.8); peak %.0f MB (target < 100)\n", s / a, kb / 1024 }'

echo "2. recompute every mastery (4,500 × 60 × 10 evaluations)"
"$bin/acquis" eval import "$data_dir/evaluations-rest.csv" --db "$database" >/dev/null
read -r rs rkb < <(measure "$bin/acquis" eval recalculer --db "$database")
row "acquis eval recalculer" "$rs" "$rkb"
sqlite3 "$database" "SELECT COUNT(*) || ' evaluations, ' FROM evaluation; SELECT COUNT(*) || ' masteries' FROM mastery;" | paste -sd ''
# The reference: one window query ranking each student's evidence per competency (the last
# three observations, the best of them) and writing one row per mastery, as the store does.
cp "$database" "$data_dir/window.sqlite"
read -r ws wkb < <(measure sqlite3 "$data_dir/window.sqlite" "CREATE TABLE ranks AS
    SELECT studentId, nodeId, MAX(rank) AS rank, COUNT(*) AS counted FROM (
      SELECT studentId, nodeId, CASE code WHEN 'PE' THEN 0 WHEN 'EC' THEN 1 WHEN 'A' THEN 2 WHEN 'M' THEN 3 END AS rank,
             ROW_NUMBER() OVER (PARTITION BY studentId, nodeId ORDER BY observedOn DESC, id DESC) AS n
      FROM evaluation WHERE withdrawnAt IS NULL)
    WHERE n <= 3 GROUP BY studentId, nodeId;")
row "sqlite3 window query (same ranks, written)" "$ws" "$wkb"
rm -f "$data_dir/window.sqlite"
awk -v w="$ws" -v r="$rs" 'BEGIN { printf "ratio window query / acquis: %.2f (targets: ≥ 1, and < 4 s)\n", w / r }'

echo "3. one evaluation at a time"
"$bin/evaluation-bench" "$database" BENCH 2000
