#!/usr/bin/env bash
# The académie's overview (issue 20, item 7) on SQLite and PostgreSQL, same data, same run:
# 48 schools of 417 students (20,016 students), 20 evaluations each in the 60-competency
# benchmark referential, a follow-up for one student in forty.
#
#     Benchmarks/academie.sh
#
# Prints the time and peak memory of `acquis academie synthese` on each engine, their ratio,
# and checks that both engines give the same CSV. Starts its own PostgreSQL cluster, as
# Benchmarks/postgres.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir="bench-data/academie"
source Benchmarks/measure.sh
bin="$(release_bin)"
mkdir -p "$data_dir"
if [[ ! -f bench-data/bench-referential.xml ]]; then Benchmarks/evaluations.sh >/dev/null; fi

if [[ ! -f "$data_dir/evaluations.csv" ]]; then
    python3 - "$data_dir" <<'PY'
import random, sys, datetime
out = sys.argv[1]
random.seed(20)
codes = ["PE", "EC", "A", "M"]
start = datetime.date(2026, 9, 1)
with open(f"{out}/evaluations.csv", "w") as evaluations:
    evaluations.write("INE;Référentiel;Compétence;Niveau;Date;Contexte;Évaluateur\n")
    for school in range(48):
        with open(f"{out}/school-{school:02d}.csv", "w") as students:
            students.write("INE;Nom;Prénom;Classe\n")
            for n in range(417):
                i = 100_000 + school * 1000 + n
                ine = f"{i:010d}{'ABCDEFGHJK'[i % 10]}"
                students.write(f"{ine};ELEVE{n};Prénom{n};C{n // 28}\n")
                for k in range(20):
                    day = start + datetime.timedelta(days=random.randint(0, 75))
                    evaluations.write(f"{ine};BENCH;C{random.randint(1, 6)}.{random.randint(1, 10)};{random.choice(codes)};"
                                      f"{day.isoformat()};classe;prof{random.randint(1, 9)}\n")
PY
fi

start_postgres
sqlite="$data_dir/academie.sqlite"
rm -f "$sqlite" "$sqlite-wal" "$sqlite-shm"

follow_ups="INSERT INTO followUp (studentId, action, decidedOn, author, recordedAt)
    SELECT id, 'Tutorat', '2026-10-01', 'bench', '2026-10-01 08:00:00.000' FROM student WHERE id % 40 = 0"
for db in "$sqlite" "$postgres"; do
    "$bin/acquis" referentiel import bench-data/bench-referential.xml --db "$db" >/dev/null
    for school in $(seq -w 0 47); do
        "$bin/acquis" eleves import "$data_dir/school-$school.csv" --uai "05800${school}X" --annee 2026 --db "$db" >/dev/null
    done
    "$bin/acquis" eval import "$data_dir/evaluations.csv" --db "$db" >/dev/null
done
sqlite3 "$sqlite" "$follow_ups"
"$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U acquis acquis -c "$follow_ups"

echo "The académie's overview: 48 schools, 20,016 students, 400,320 evaluations"
read -r ss skb < <(measure "$bin/acquis" academie synthese --au 2026-11-20 --db "$sqlite" -o "$data_dir/sqlite.csv")
row "SQLite: acquis academie synthese" "$ss" "$skb"
read -r ps pkb < <(measure "$bin/acquis" academie synthese --au 2026-11-20 --db "$postgres" -o "$data_dir/postgres.csv")
row "PostgreSQL: acquis academie synthese" "$ps" "$pkb"
awk -v s="$ss" -v p="$ps" 'BEGIN { printf "PostgreSQL / SQLite: %.2fx (target ≤ 2)\n", p / s }'
if cmp -s "$data_dir/sqlite.csv" "$data_dir/postgres.csv"; then echo "same CSV on both engines"; else
    echo "the engines disagree:"; diff "$data_dir/sqlite.csv" "$data_dir/postgres.csv" | head -20; exit 1; fi
