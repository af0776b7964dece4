#!/usr/bin/env bash
# Early-warning signals for an académie: 4,500 students in 150 classes, 2.7 million
# evaluations (the database of Benchmarks/evaluations.sh, built first if missing).
#
#   acquis vigilance etablissement computes every signal of every student (silence, stagnation,
#   regression, missed work, unanswered requests, self-assessment gaps), with the masteries
#   before and after the window, class contexts and explanations, and logs the views.
#   Reference in the same run: the sqlite3 CLI reading the same rows in the same index order
#   and comparing each evaluation with the previous one (no mastery, no sentence).
#
#     Benchmarks/vigilance.sh
#
# Needs GNU time (Debian: time), sqlite3 and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

source Benchmarks/measure.sh
bin="$(release_bin)"
source_db="bench-data/evaluations.sqlite"
database="bench-data/vigilance.sqlite"
as_of="2026-11-20"
window_start="2026-10-09"

if [[ ! -f "$source_db" ]] || (( $(sqlite3 "$source_db" "SELECT COUNT(*) FROM evaluation") < 2700000 )); then
    Benchmarks/evaluations.sh >/dev/null
fi
rm -f "$database" "$database-wal" "$database-shm"
cp "$source_db" "$database"
# Migrate once outside the measure, as a running school's database already is.
"$bin/acquis" vigilance seuils --db "$database" >/dev/null

printf "%s evaluations, %s students, %s classes\n" \
    "$(sqlite3 "$database" "SELECT COUNT(*) FROM evaluation")" "$(sqlite3 "$database" "SELECT COUNT(*) FROM student")" \
    "$(sqlite3 "$database" "SELECT COUNT(*) FROM division WHERE kind = 'classe'")"

echo "1. every signal of every student, as of $as_of"
read -r as akb < <(measure "$bin/acquis" vigilance etablissement --au "$as_of" --annee 2026 --db "$database")
row "acquis vigilance etablissement" "$as" "$akb"
"$bin/acquis" vigilance etablissement --au "$as_of" --annee 2026 --db "$database" | awk "NR == 1"

read -r ss skb < <(measure sqlite3 "$database" "
    SELECT COUNT(DISTINCT studentId) FROM (
      SELECT studentId, code, observedOn,
             LAG(code) OVER (PARTITION BY studentId, nodeId ORDER BY observedOn, id) AS previous
      FROM evaluation WHERE withdrawnAt IS NULL AND observedOn <= '$as_of')
    WHERE observedOn >= '$window_start' AND previous IS NOT NULL AND previous <> code;")
row "sqlite3: one ordered pass with LAG (reference)" "$ss" "$skb"
read -r gs gkb < <(measure sqlite3 "$database" "
    SELECT COUNT(*) FROM (SELECT studentId, MAX(observedOn), SUM(observedOn >= '$window_start'),
                                 SUM(code IN ('ABS', 'NR') AND observedOn >= '$window_start')
                          FROM evaluation WHERE withdrawnAt IS NULL AND observedOn <= '$as_of' GROUP BY studentId);")
row "sqlite3: last evidence and absences per student" "$gs" "$gkb"
awk -v s="$ss" -v a="$as" 'BEGIN { printf "ratio acquis / sqlite3 ordered pass: %.2fx\n", a / s }'

echo "2. one class of 30 (what a teacher's page computes)"
read -r cs ckb < <(measure "$bin/acquis" vigilance classe C42 --au "$as_of" --annee 2026 --db "$database")
row "acquis vigilance classe C42" "$cs" "$ckb"
