#!/usr/bin/env bash
# Imports a synthetic RNCP export of SIZE_MB megabytes (default 300) and reports
# throughput and peak memory beside `xmllint --stream --noout` on the same file.
#
#     Benchmarks/rncp-import.sh [SIZE_MB]
#
# Needs GNU time (Debian: time) and xmllint (Debian: libxml2-utils).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb="${1:-300}"
data_dir="bench-data"
export_file="$data_dir/rncp-$size_mb.xml"
database="$data_dir/bench.sqlite"
mkdir -p "$data_dir"

source Benchmarks/measure.sh
bin="$(release_bin)"

if [[ ! -f "$export_file" ]]; then
    "$bin/rncp-synth" "$size_mb" "$export_file"
fi
bytes=$(stat -c %s "$export_file")

row() { # name seconds peak_kb
    awk -v name="$1" -v s="$2" -v kb="$3" -v bytes="$bytes" \
        'BEGIN { printf "%-34s %8.2f s %9.1f MB/s %9.1f MB peak\n", name, s, bytes / 1e6 / s, kb / 1024 }'
}

echo "file: $export_file ($(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB)"
read -r xs xkb < <(measure xmllint --stream --noout "$export_file")
row "xmllint --stream --noout" "$xs" "$xkb"
read -r vs vkb < <(measure "$bin/acquis" referentiel validate "$export_file")
row "acquis referentiel validate" "$vs" "$vkb"
rm -f "$database" "$database-wal" "$database-shm"
read -r is ikb < <(measure "$bin/acquis" referentiel import "$export_file" --db "$database")
row "acquis referentiel import (SQLite)" "$is" "$ikb"
awk -v x="$xs" -v v="$vs" -v i="$is" -v vkb="$vkb" -v ikb="$ikb" 'BEGIN {
    printf "ratio xmllint / acquis: validate %.2f (target ≥ 0.5), import %.2f (target ≥ 0.3); import %.2f s (target < 6 s, 300 MB); peak %.0f / %.0f MB (target < 100)\n",
        x / v, x / i, i, vkb / 1024, ikb / 1024 }'
sqlite3 "$database" "SELECT COUNT(*) || ' referentials, ' FROM referential; SELECT COUNT(*) || ' nodes' FROM referentialNode;" \
    2>/dev/null | paste -sd '' || true
