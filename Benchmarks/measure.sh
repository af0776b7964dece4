# Sourced by the benchmark scripts.

# Runs a command under GNU time, its output discarded; prints "seconds peak_kb".
measure() {
    local report
    report=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$report" "$@" >/dev/null
    cat "$report"
    rm -f "$report"
}

# Builds the release binaries and prints the folder they are in.
release_bin() {
    swift build -c release >/dev/null
    swift build -c release --show-bin-path
}
