#!/usr/bin/env bash
# Issue 4 benchmark: issue, sign and bake 10,000 badges, beside `openssl speed` for the same
# algorithms on the same machine (one core each).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"

swift build -c release --product badge-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/badge-bench"

echo "== acquis: issue + sign + bake, one core"
"$bench" "$count" | tee /tmp/acquis-badge-bench.txt

echo "== openssl speed (sign/s, one core)"
openssl version
openssl speed -seconds 5 rsa2048 ecdsap256 2>/dev/null | tee /tmp/openssl-speed.txt | grep -E "^rsa 2048|256 bits ecdsa"

rsa=$(awk '/^rsa 2048 bits/ {print $(NF-1)}' /tmp/openssl-speed.txt)
ecdsa=$(awk '/256 bits ecdsa/ {print $(NF-1)}' /tmp/openssl-speed.txt)
echo "== ratios (acquis badges/s ÷ openssl signatures/s)"
awk -v rsa="$rsa" -v ecdsa="$ecdsa" -F'\t' '{
    split($4, rate, " "); ref = ($1 ~ /ES256/) ? ecdsa : rsa
    target = ($1 ~ /ES256/) ? sprintf("target ≥ 20,000 badges/s: %s", rate[1] >= 20000 ? "met" : "not met") \
                            : sprintf("target: ratio ≥ 0.9 (within 10 %% of the signer): %s", rate[1] / ref >= 0.9 ? "met" : "not met")
    printf "%-20s %8.0f badges/s   openssl %8.0f sign/s   ratio %.2f   %s\n", $1, rate[1], ref, rate[1] / ref, target
}' <(grep -E "^OB" /tmp/acquis-badge-bench.txt)
