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
