#!/usr/bin/env bash
# The export benchmark of an académie: progress files of 4,500 students (150 classes of 30,
# 60 competencies, 4 evaluations each: 1,080,000 evaluations).
#
#   1. HTML + JSON progress files of every student into a folder, then into a ZIP archive,
#      beside the sqlite3 CLI dumping the same evaluations as JSON (`sqlite3 -json`);
#   2. PDF progress files of 10 classes (300 students): pages per second.
#
#     Benchmarks/exports.sh
#
# Needs GNU time (Debian: time), sqlite3 and python3 (to write the synthetic files).
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir="bench-data"
database="$data_dir/exports.sqlite"
out="$data_dir/exports-out"
mkdir -p "$data_dir"

source Benchmarks/measure.sh
bin="$(release_bin)"

if [[ ! -f "$data_dir/exports-evaluations.csv" ]]; then
    python3 - "$data_dir" <<'PY'
import random, sys, datetime
out = sys.argv[1]
random.seed(7)
with open(f"{out}/exports-referential.xml", "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<referential xmlns="urn:acquis:referential:1" code="BENCHX" '
            'version="1" kind="diplome" scale="acquis-4">\n  <title>Référentiel de mesure des exports</title>\n')
    for b in range(6):
        f.write(f'  <block code="B{b+1}">\n    <title>Bloc {b+1} — activités professionnelles</title>\n')
        for c in range(10):
            f.write(f'    <competency code="C{b+1}.{c+1}"><title>Réaliser l’activité {b+1}.{c+1} en autonomie</title></competency>\n')
        f.write('  </block>\n')
    f.write('</referential>\n')
ines = [f"{i:010d}{'ABCDEFGHJK'[i % 10]}" for i in range(1, 4501)]
with open(f"{out}/exports-students.csv", "w") as f:
    f.write("INE;Nom;Prénom;Classe\n")
    for n, ine in enumerate(ines):
        f.write(f"{ine};ÉLÈVE{n};Prénom{n};C{n // 30:03d}\n")
codes = ["PE", "EC", "A", "M"]
contexts = ["classe", "atelier", "pfmp", "projet"]
start = datetime.date(2026, 9, 7)
with open(f"{out}/exports-evaluations.csv", "w") as f:
    f.write("INE;Référentiel;Compétence;Niveau;Date;Contexte;Évaluateur\n")
    for ine in ines:
        for b in range(6):
            for c in range(10):
                level = random.randint(0, 2)
                for k in range(4):
                    day = start + datetime.timedelta(days=k * 14 + random.randint(0, 9))
                    f.write(f"{ine};BENCHX;C{b+1}.{c+1};{codes[level]};{day.isoformat()};{random.choice(contexts)};prof{random.randint(1, 9)}\n")
                    level = min(3, level + (random.random() < 0.35))
PY
fi

if [[ ! -f "$database" ]]; then
    "$bin/acquis" referentiel import "$data_dir/exports-referential.xml" --db "$database" >/dev/null
    "$bin/acquis" eleves import "$data_dir/exports-students.csv" --uai 0000000X --annee 2026 --db "$database" >/dev/null
    "$bin/acquis" eval import "$data_dir/exports-evaluations.csv" --db "$database" >/dev/null
fi

echo "1. progress files of 4,500 students, HTML + JSON ($(sqlite3 "$database" 'SELECT COUNT(*) FROM evaluation') evaluations)"
read -r ss skb < <(measure sqlite3 -json "$database" "SELECT s.ine, s.lastName, s.firstName, n.code AS competency,
    e.code AS level, e.observedOn, e.context, e.evaluator FROM evaluation e JOIN student s ON s.id = e.studentId
    JOIN referentialNode n ON n.id = e.nodeId ORDER BY e.studentId, e.nodeId, e.observedOn")
row "sqlite3 -json (the same evaluations, one dump)" "$ss" "$skb"
rm -rf "$out"
read -r fs fkb < <(measure "$bin/acquis" export etablissement --db "$database" --uai 0000000X --annee 2026 \
    --periode T1 --format html json -o "$out/folder")
row "acquis export etablissement → folder (9,001 files)" "$fs" "$fkb"
read -r zs zkb < <(measure "$bin/acquis" export etablissement --db "$database" --uai 0000000X --annee 2026 \
    --periode T1 --format html json -o "$out/academie.zip")
row "acquis export etablissement → ZIP (deflate)" "$zs" "$zkb"
awk -v s="$ss" -v f="$fs" 'BEGIN { printf "students per second: %.0f; ratio acquis folder / sqlite3 dump: %.2fx\n", 4500 / f, f / s }'
awk -v f="$fs" -v z="$zs" 'BEGIN { printf "target (issue 22): 4,500 progress files HTML + JSON < 20 s: folder %.2f s %s, ZIP %.2f s %s\n",
    f, (f < 20 ? "met" : "NOT met"), z, (z < 20 ? "met" : "NOT met") }'
echo "   folder $(du -sm "$out/folder" | cut -f1) MB, archive $(du -m "$out/academie.zip" | cut -f1) MB"

echo "2. PDF progress files of 10 classes (300 students)"
start=$(date +%s.%N)
pages=0
for class in C000 C001 C002 C003 C004 C005 C006 C007 C008 C009; do
    report=$("$bin/acquis" export classe "$class" --db "$database" --uai 0000000X --annee 2026 --periode T1 \
        --format pdf -o "$out/pdf")
    pages=$((pages + $(sed -n 's/.*; \([0-9][0-9]*\) pages\{0,1\} PDF.*/\1/p' <<<"$report")))
done
end=$(date +%s.%N)
awk -v p="$pages" -v a="$start" -v b="$end" 'BEGIN { s = b - a; printf "%d pages in %.2f s: %.0f pages/s, %.1f pages per file\n", p, s, p / s, p / 300 }'
