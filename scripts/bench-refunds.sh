#!/usr/bin/env bash
# Refund-path load (R6-R8) against a local demo server, the server pinned to core 0 and
# wrk to core 1: the operator's cancellation queue, a developer reading a customer's
# purchases from an inquiry, and a developer re-submitting a cancellation request for a
# purchase that has one open (each a write transaction under the purchase's row lock,
# answered with the existing request). Prints the median of three runs per request and
# its rate as a ratio of the fixed-body baseline.
#
#   scripts/bench-refunds.sh [seconds-per-run] [connections]   (needs: apt-get install wrk curl)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${2:-32}"
port=18183
lua=$(mktemp --suffix=.lua)
cleanup_extra="$lua"
. scripts/bench-common.sh
base_url="http://127.0.0.1:$port"
login() {
  curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" \
    "$base_url/api/v1/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])'
}
operator=$(login operator@example.com)
# An open request of the demo, its seller's developer, its inquiry and purchase.
read -r request_inquiry request_purchase seller < <(curl -sf -H "Authorization: Bearer $operator" \
  "$base_url/api/v1/cancellation-requests?status=open" |
  python3 -c 'import sys, json; r = json.load(sys.stdin)["items"][0]; print(r["inquiry_id"], r["purchase_id"], r["seller_id"])')
developer_email=$(for dev in dev1@example.com dev2@example.com; do
  token=$(login "$dev")
  if curl -sf -H "Authorization: Bearer $token" "$base_url/api/v1/cancellation-requests?seller_id=$seller" >/dev/null; then
    echo "$dev"; break
  fi
done)
developer=$(login "$developer_email")
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $developer"
wrk.body = '{"inquiry_id":"$request_inquiry","reason":"고객과 환불에 합의했습니다."}'
done = function(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
LUA

ratio() { awk -v a="$1" -v b="$base" 'BEGIN{printf "%.2f", a / b}'; }
printf '%-58s %10s %9s %6s\n' request "req/s" p99 ratio
read -r base base_p99 < <(median_run "$base_url/static/app.css")
printf '%-58s %10s %9s %6s\n' "GET /static/app.css (fixed body)" "$base" "$base_p99" "1.00"
read -r rps p99 < <(median_run -H "Authorization: Bearer $operator" "$base_url/api/v1/cancellation-requests")
printf '%-58s %10s %9s %6s\n' "GET /api/v1/cancellation-requests (operator queue)" "$rps" "$p99" "$(ratio "$rps")"
read -r rps p99 < <(median_run -H "Authorization: Bearer $developer" \
  "$base_url/api/v1/inquiries/$request_inquiry/purchases")
printf '%-58s %10s %9s %6s\n' "GET /api/v1/inquiries/{id}/purchases (R6, masked)" "$rps" "$p99" "$(ratio "$rps")"
read -r rps p99 < <(median_run -s "$lua" "$base_url/api/v1/purchases/$request_purchase/cancellation-requests")
printf '%-58s %10s %9s %6s\n' "POST /api/v1/purchases/{id}/cancellation-requests (repeat)" "$rps" "$p99" "$(ratio "$rps")"
