#!/usr/bin/env bash
# Portfolio storage and speed: N phone photos (4032 × 3024 JPEG with its GPS position, as a
# phone takes them) added with `acquis production ajouter` to the demo school, spread over its
# students. Prints the database's growth per 1,000 productions and the time per photo; in the
# same run, the reference: Pillow doing the same work on the same photo (upright, 2,560 px kept
# at quality 85, a 320 px thumbnail, no metadata) in one process, and `acquis` starting and
# answering a list, the share of each call that is the process itself.
# Needs Pillow from Tests/Validators/install.sh (.venv-validators/media).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/measure.sh
bin=$(release_bin)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count="${N:-1000}"
python="${ACQUIS_VALIDATORS:-$PWD/.venv-validators}/media/bin/python"
db="$work/acquis.sqlite"

"$bin/acquis" demo --db "$db" --cles "$work/cles" --exemples "$PWD" >/dev/null
"$python" - "$work/photo.jpg" <<'PY'
import random, sys
from PIL import Image, ImageDraw, ImageFilter
random.seed(7)
# A shop shelf, roughly: coloured boxes on a gradient, with sensor noise, as a phone saves it.
width, height = 4032, 3024
picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
draw = ImageDraw.Draw(picture)
for _ in range(400):
    x, y = random.randrange(width), random.randrange(height)
    draw.rectangle([x, y, x + random.randrange(60, 400), y + random.randrange(60, 300)],
                   fill=tuple(random.randrange(256) for _ in range(3)))
noise = Image.effect_noise((width, height), 18).convert("RGB")
picture = Image.blend(picture.filter(ImageFilter.GaussianBlur(1)), noise, 0.12)
exif = Image.Exif()
exif[0x0112] = 6
gps = exif.get_ifd(0x8825)
gps[1] = "N"; gps[2] = (48.0, 41.0, 36.0); gps[3] = "E"; gps[4] = (6.0, 10.0, 48.0)
picture.save(sys.argv[1], quality=90, exif=exif.tobytes())
PY
photo_bytes=$(stat -c %s "$work/photo.jpg")
mapfile -t students < <(sqlite3 "$db" "SELECT ine FROM student ORDER BY id")
size() {
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    sqlite3 "$db" "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size();"
}
before=$(size)

echo "$count photos of $((photo_bytes / 1024)) kB (4032 × 3024, GPS in EXIF), over ${#students[@]} students"
start=$(date +%s.%N)
for ((i = 0; i < count; i++)); do
    "$bin/acquis" production ajouter "${students[i % ${#students[@]}]}" "$work/photo.jpg" --titre "Photo $i" \
        --competences CAP-EPC:B1.1 --contexte atelier --db "$db" >/dev/null 2>&1 \
        || "$bin/acquis" production ajouter "${students[i % ${#students[@]}]}" "$work/photo.jpg" --titre "Photo $i" --db "$db" >/dev/null
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
after=$(size)
stored=$(sqlite3 "$db" "SELECT COUNT(*), SUM(byteCount), SUM(LENGTH(thumbnail)) FROM production")
gps=$(sqlite3 "$db" "SELECT COUNT(*) FROM production WHERE instr(content, X'457869660000') > 0")
read -r startup _ < <(measure "$bin/acquis" production liste "${students[0]}" --db "$db")

# The reference decodes 100 photos (or N if fewer): its time per photo is what is compared.
ref_count=$((count < 100 ? count : 100))
"$python" - "$work/photo.jpg" "$ref_count" <<'PY' > "$work/ref.txt"
import io, sys, time
from PIL import Image, ImageOps
path, count = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
for _ in range(count):
    with Image.open(path) as original:
        upright = ImageOps.exif_transpose(original)
        for side, quality in ((2560, 85), (320, 85)):
            copy = upright.copy()
            copy.thumbnail((side, side))
            copy.save(io.BytesIO(), "JPEG", quality=quality)
print(f"{time.perf_counter() - start:.2f}")
PY
reference=$(cat "$work/ref.txt")

# One student's package: the student with the most productions, and the reference: zip -r of
# the same files.
busiest=$(sqlite3 "$db" "SELECT s.ine FROM production p JOIN student s ON s.id = p.studentId GROUP BY s.id ORDER BY COUNT(*) DESC LIMIT 1")
read -r export_seconds export_kb < <(measure "$bin/acquis" portfolio exporter "$busiest" -o "$work/package.zip" --db "$db" --cles "$work/cles")
mkdir -p "$work/unzipped" && (cd "$work/unzipped" && unzip -q "$work/package.zip")
read -r zip_seconds _ < <(measure sh -c "cd '$work/unzipped' && zip -qr '$work/reference.zip' .")

awk -v n="$count" -v e="$elapsed" -v b="$before" -v a="$after" -v s="$stored" -v g="$gps" -v r="$reference" -v rn="$ref_count" -v st="$startup" 'BEGIN {
    split(s, f, "|")
    printf "stored: %d productions, %.1f MB of pictures + %.1f MB of thumbnails; %d with EXIF left\n", f[1], f[2] / 1048576, f[3] / 1048576, g
    printf "database growth per 1,000 productions: %.1f MB (%.1f MB before, %.1f MB after)\n", (a - b) / 1048576 * 1000 / n, b / 1048576, a / 1048576
    printf "acquis production ajouter: %.1f s for %d, %.0f ms per photo (of which ~%.0f ms starting the process)\n", e, n, e / n * 1000, st * 1000
    printf "reference, Pillow in one process: %.1f s for %d, %.0f ms per photo\n", r, rn, r / rn * 1000
    printf "ratio (reference ÷ Acquis, per photo, process start included): %.2f\n", (r / rn) / (e / n)
}'
awk -v s="$export_seconds" -v kb="$export_kb" -v z="$zip_seconds" -v n="$(unzip -l "$work/package.zip" | grep -c productions/)" \
    -v size="$(stat -c %s "$work/package.zip")" 'BEGIN {
    printf "the package of one student (%d productions, %.1f MB): %.2f s, %.1f MB peak; reference zip -r of the same files: %.2f s\n", n, size / 1048576, s, kb / 1024, z
}'
