# Sourced by the benchmark scripts.

# Runs a command under GNU time, its output discarded; prints "seconds peak_kb".
measure() {
    local report
    report=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$report" "$@" >/dev/null
    cat "$report"
    rm -f "$report"
}

# Prints one result line: row NAME SECONDS PEAK_KB.
row() {
    awk -v name="$1" -v s="$2" -v kb="$3" 'BEGIN { printf "%-52s %8.2f s %9.1f MB peak\n", name, s, kb / 1024 }'
}

# Builds the release binaries and prints the folder they are in.
release_bin() {
    # A failed build stops the benchmark: an older binary would be measured instead.
    swift build -c release >/dev/null || return 1
    swift build -c release --show-bin-path
}

# Starts a PostgreSQL cluster of this run (Debian's initdb and pg_ctl, as the postgres user when
# run as root) on a free loopback port, with the server's default durability, stopped when the
# script exits. Acquis connects as an ordinary role, as in a deployment (it refuses a
# superuser). Sets pg_bin, port, PGPASSWORD, and postgres: the address of its database `acquis`.
start_postgres() {
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    cluster="$(mktemp -d /tmp/acquis-bench-pg-XXXXXX)"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner=()
    if [[ "$(id -u)" == 0 ]]; then chown postgres "$cluster"; as_owner=(runuser -u postgres --); fi
    echo "bench" > "$cluster/password"
    "${as_owner[@]}" "$pg_bin/initdb" -D "$cluster/data" -U postgres --pwfile="$cluster/password" --auth=scram-sha-256 \
        -E UTF8 --no-locale >/dev/null
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
        -o "-p $port -k $cluster -c listen_addresses=127.0.0.1" start >/dev/null
    trap '"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null; rm -rf "$cluster"' EXIT
    export PGPASSWORD=bench
    "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres postgres -c "CREATE ROLE acquis LOGIN CREATEDB PASSWORD 'bench'"
    "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U acquis acquis
    postgres="postgres://acquis@127.0.0.1:$port/acquis"
}

# Fills DB (a new SQLite file) with the demo school, a referential of 4 blocks × 10
# competencies and a class BENCH of 30 students with 10 evaluations on each competency
# (12,000), and a teacher `banc` (password mot-de-passe-du-banc) of BENCH; keys in WORK/cles.
grid_school() {
    local db="$1" work="$2"
    "$bin/acquis" demo --db "$db" --cles "$work/cles" >/dev/null
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
}

# Starts `acquis serve` on DB and PORT (keys in WORK/cles), waits until it answers; its pid in
# the variable named by VAR.
serve_on() {
    local db="$1" port="$2" work="$3" var="$4"
    "$bin/acquis" serve --db "$db" --cles "$work/cles" --port "$port" >"$work/serve-$port.log" 2>&1 &
    printf -v "$var" '%s' "$!"
    for _ in $(seq 100); do
        if curl -sf "http://127.0.0.1:$port/connexion" >/dev/null; then
            # Another server already on the port would answer for this one, which then exits.
            sleep 0.2; kill -0 "${!var}" 2>/dev/null && return 0
            echo "acquis serve could not listen on port $port (in use?):" >&2; cat "$work/serve-$port.log" >&2; return 1
        fi
        sleep 0.2
    done
    echo "acquis serve on port $port did not start:" >&2; cat "$work/serve-$port.log" >&2; return 1
}

# Signs `banc` in on PORT; prints "cookie csrf".
sign_in_banc() {
    local port="$1" work="$2" login
    login=$(curl -s -c "$work/cookies-$port" -H 'Content-Type: application/json' \
            -d '{"identifiant":"banc","motDePasse":"mot-de-passe-du-banc"}' "http://127.0.0.1:$port/api/v1/session")
    echo "$(awk '$6 == "acquis_session" { print "acquis_session=" $7 }' "$work/cookies-$port") \
$(echo "$login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["csrf"])')"
}

# Writes FILE, a wrk script that records evaluations of BANC-40 through the JSON API, with the
# session COOKIE and its CSRF token, as a teacher fills the class's grid: each request the
# next cell (STUDENTS, ids separated by commas, × the 40 competencies), A and M in turn, each
# thread starting elsewhere. A cell then holds its ten imported evaluations and a few
# more, as in a class: recording the same cell again and again would measure reading an
# evidence list thousands long, not a click. START (0 by default) offsets the first cell, for
# two wrk processes to fill different cells.
record_script() {
    local file="$1" cookie="$2" csrf="$3" students="$4" start="${5:-0}"
    cat >"$file" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["X-CSRF-Token"] = "$csrf"
local students = { $students }
local competencies = {}
for b = 1, 4 do for c = 1, 10 do competencies[#competencies + 1] = "B" .. b .. "." .. c end end
local cells = #students * #competencies
local levels = {"A", "M"}
n = $start
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("n", $start + threads * 97) end
request = function()
  n = n + 1
  local cell = n % cells
  local student = students[cell % #students + 1]
  local competency = competencies[math.floor(cell / #students) % #competencies + 1]
  return wrk.format(nil, "/api/v1/evaluations", nil,
    '{"eleve": ' .. student .. ', "referentiel": "BANC-40", "competence": "' .. competency .. '", "niveau": "' .. levels[n % 2 + 1] .. '"}')
end
LUA
}
