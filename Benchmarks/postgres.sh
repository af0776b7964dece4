#!/usr/bin/env bash
# SQLite and PostgreSQL side by side, same data, same run (issue 20): 4,500 students × 60
# competencies of the evaluation benchmark.
#
#   1. bulk import of the first IMPORT_ROWS evaluations of the synthetic file (default
#      100,000) on each engine, beside psql's \copy of the same rows: into Acquis's own
#      `evaluation` table (same indexes, same foreign keys, as the rows Acquis stored), and,
#      as before, into a table of the file's text columns with two indexes and no constraint;
#   2. record one evaluation through the application core (median, p95) on each engine;
#   3. every signal of every student (acquis vigilance etablissement) on each engine.
#
#     Benchmarks/postgres.sh [IMPORT_ROWS]
#
# Starts its own PostgreSQL cluster (Debian's initdb and pg_ctl, as the postgres user when run
# as root) on a free loopback port, with the server's default durability, and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${1:-100000}"
data_dir="bench-data"
source Benchmarks/measure.sh
bin="$(release_bin)"

if [[ ! -f "$data_dir/evaluations-1m.csv" ]]; then Benchmarks/evaluations.sh >/dev/null; fi
head -n $((rows + 1)) "$data_dir/evaluations-1m.csv" > "$data_dir/evaluations-sample.csv"
tail -n +2 "$data_dir/evaluations-sample.csv" > "$data_dir/evaluations-sample-noheader.csv"

start_postgres
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U acquis reference
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U acquis same_table
sqlite="$data_dir/postgres-compare.sqlite"
rm -f "$sqlite" "$sqlite-wal" "$sqlite-shm"

for db in "$sqlite" "$postgres" "${postgres%/acquis}/same_table"; do
    "$bin/acquis" referentiel import "$data_dir/bench-referential.xml" --db "$db" >/dev/null
    "$bin/acquis" eleves import "$data_dir/students.csv" --uai 0000000X --db "$db" >/dev/null
done

echo "1. bulk import, $rows evaluations"
read -r ss skb < <(measure "$bin/acquis" eval import "$data_dir/evaluations-sample.csv" --db "$sqlite")
row "SQLite: acquis eval import" "$ss" "$skb"
read -r ps pkb < <(measure "$bin/acquis" eval import "$data_dir/evaluations-sample.csv" --db "$postgres")
row "PostgreSQL: acquis eval import" "$ps" "$pkb"
"$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U acquis reference -c "CREATE TABLE evaluation (ine TEXT, referentiel TEXT,
    competence TEXT, niveau TEXT, date TEXT, contexte TEXT, evaluateur TEXT); CREATE INDEX e1 ON evaluation (competence);
    CREATE INDEX e2 ON evaluation (ine, competence, date);"
read -r cs ckb < <(measure "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U acquis reference \
    -c "\\copy evaluation FROM '$data_dir/evaluations-sample-noheader.csv' WITH (FORMAT csv, DELIMITER ';')")
row "PostgreSQL: psql \\copy, text table, no constraint" "$cs" "$ckb"
# The rows Acquis stored, as ids, copied into the same table of a database with the same
# referential and students (same ids): same indexes, same foreign keys. As the superuser:
# PostgreSQL refuses COPY into a table under row-level security to anyone the wall applies to.
columns="studentId, nodeId, code, observedOn, context, company, tutor, evaluator, comment, evidence, isOverride, recordedAt, recordedBy"
"$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U acquis acquis \
    -c "\\copy (SELECT $columns FROM evaluation ORDER BY id) TO '$data_dir/evaluations-rows.csv' WITH (FORMAT csv)"
read -r ts tkb < <(measure "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres same_table \
    -c "\\copy evaluation ($columns) FROM '$data_dir/evaluations-rows.csv' WITH (FORMAT csv)")
row "PostgreSQL: psql \\copy, Acquis's evaluation table" "$ts" "$tkb"
awk -v s="$ss" -v p="$ps" -v c="$cs" -v t="$ts" 'BEGIN {
    printf "PostgreSQL / SQLite: %.2fx (target ≤ 2); psql \\copy / acquis on PostgreSQL: %.2f into the same table (target ≥ 0.5), %.2f into the text table\n", p / s, t / p, c / p }'

echo "2. one evaluation at a time (1,000 clicks each)"
printf "%-12s " "SQLite:"; "$bin/evaluation-bench" "$sqlite" BENCH 1000
printf "%-12s " "PostgreSQL:"; "$bin/evaluation-bench" "$postgres" BENCH 1000

echo "3. every signal of every student"
"$bin/acquis" vigilance seuils --db "$sqlite" >/dev/null
"$bin/acquis" vigilance seuils --db "$postgres" >/dev/null
read -r vs vkb < <(measure "$bin/acquis" vigilance etablissement --au 2026-11-20 --annee 2026 --db "$sqlite")
row "SQLite: acquis vigilance etablissement" "$vs" "$vkb"
read -r vp vpkb < <(measure "$bin/acquis" vigilance etablissement --au 2026-11-20 --annee 2026 --db "$postgres")
row "PostgreSQL: acquis vigilance etablissement" "$vp" "$vpkb"
awk -v s="$vs" -v p="$vp" 'BEGIN { printf "PostgreSQL / SQLite: %.2fx (target ≤ 2)\n", p / s }'
