# Shared by the scripts/bench-*.sh load drivers (sourced, not run): builds the release
# binary, serves a fresh demo store pinned to core 0 on $port, and gives `median_run`,
# which drives wrk from core 1 three times and prints the median run's "req/s p99".
# The caller sets $port, $seconds and $connections, and may set $cleanup_extra (files
# to remove on exit) and $database_url (a fresh PostgreSQL database instead of SQLite).
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q
data=$(mktemp -d)
env ${database_url:+VOCDESK_DATABASE_URL="$database_url"} VOCDESK_DATA="$data" RUST_LOG=warn \
  taskset -c 0 target/release/vocdesk serve --demo --listen "127.0.0.1:$port" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" ${cleanup_extra:-}' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

median_run() { # wrk arguments... -> "rps p99" of the median-rps run out of three ("ERRORS n" on non-2xx)
  for _ in 1 2 3; do
    taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@" |
      awk '/Requests\/sec/{r=$2} /^ *99%/{p=$2} /^non2xx/{e=$2} END{if (e > 0) print "ERRORS", e; else print r, p}'
  done | sort -n | sed -n 2p
}
