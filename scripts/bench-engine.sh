#!/usr/bin/env bash
# The engine's figures (issue 9): durable inquiry creation (inquiry, first message,
# the developers' outbox mail and an audit entry, acknowledged only once committed),
# the hot reads `GET /api/v1/apps/{id}` and `GET /api/v1/me`, each as a ratio of the
# fixed-body rate (/static/app.css) in the same run; then the same write load on
# PostgreSQL. Server pinned to core 0, wrk to core 1, loopback only, bounded runs, the
# median of three.
#
#   scripts/bench-engine.sh [seconds-per-run] [connections]  (needs: apt-get install wrk curl;
#                                                            PostgreSQL at $BENCH_POSTGRES_URL for the last row)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${2:-64}"
admin_url="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

bench_one() { # engine-label -> rows of the table
  local label="$1"
  local lua
  lua=$(mktemp --suffix=.lua)
  cleanup_extra="$lua"
  . scripts/bench-common.sh
  token=$(curl -sf -H 'Content-Type: application/json' \
    -d '{"email":"customer1@example.com","password":"demo-password"}' \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
  app=$(curl -sf "http://127.0.0.1:$port/api/v1/apps" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"])')
  cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"category":"question","subject":"레벨 12에서 앱이 종료됩니다","body":"업데이트 후 레벨 12에 들어가면 앱이 꺼집니다. 확인 부탁드립니다."}'
done = function(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
LUA
  me_lua=$(mktemp --suffix=.lua)
  cleanup_extra="$lua $me_lua"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token" >"$me_lua"
  ratio() { awk -v a="$1" -v b="$base" 'BEGIN{printf "%.2f", a / b}'; }
  read -r base base_p99 < <(median_run "http://127.0.0.1:$port/static/app.css")
  printf '%-12s %-44s %10s %10s %7s\n' "$label" "GET /static/app.css (fixed body)" "$base" "$base_p99" "1.00"
  read -r rps p99 < <(median_run -s "$lua" "http://127.0.0.1:$port/api/v1/apps/$app/inquiries")
  printf '%-12s %-44s %10s %10s %7s\n' "$label" "POST /api/v1/apps/{id}/inquiries (durable)" "$rps" "$p99" "$(ratio "$rps")"
  if [ "$label" = sqlite ]; then
    read -r rps p99 < <(median_run "http://127.0.0.1:$port/api/v1/apps/$app")
    printf '%-12s %-44s %10s %10s %7s\n' "$label" "GET /api/v1/apps/{id}" "$rps" "$p99" "$(ratio "$rps")"
    read -r rps p99 < <(median_run -s "$me_lua" "http://127.0.0.1:$port/api/v1/me")
    printf '%-12s %-44s %10s %10s %7s\n' "$label" "GET /api/v1/me" "$rps" "$p99" "$(ratio "$rps")"
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  rm -rf "$data" "$lua" "$me_lua"
  trap - EXIT
}

printf '%-12s %-44s %10s %10s %7s\n' engine request "req/s" p99 ratio
port=18191 database_url='' bench_one sqlite
if psql "$admin_url" -qtAc 'SELECT 1' >/dev/null 2>&1; then
  db="vocdesk_bench_$$"
  psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
  server_url="${admin_url%/*}/$db"
  port=18192 database_url="$server_url" bench_one postgresql
  psql "$admin_url" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
else
  echo "postgresql: skipped (no server at $admin_url)"
fi
