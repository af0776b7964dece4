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
