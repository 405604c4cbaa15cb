#!/usr/bin/env bash
# Replies by mail (R15), measured over real SMTP: serves the demo from a release build
# with --smtp-listen, pinned to core 0, and a Python smtplib driver on core 1 answers
# the delivered notifications as their recipients would (each a reply that joins its
# thread, notifies the other side and queues that mail), from a few connections at once.
# Prints the median and 95th percentile of the time from DATA to the server's 250 (the
# mail is then durable and in its thread), and mails per second; then the same for
# forged replies (held for an operator), for the cost of a hold.
#
#   scripts/bench-mail-in.sh [mails] [connections]
#   (needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
mails="${1:-400}"
connections="${2:-4}"
port=18194
smtp_port=12525
cargo build --release -q
data=$(mktemp -d)
log=$(mktemp)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$data" "$log"' EXIT
RUST_LOG=warn,vocdesk_app::inbound=info taskset -c 0 target/release/vocdesk serve --demo --data "$data" \
  --listen "127.0.0.1:$port" --smtp-listen "127.0.0.1:$smtp_port" --reply-domain reply.example.test >/dev/null 2>"$log" &
server=$!
for _ in $(seq 1 100); do
  [ "$(ls "$data/mail/outgoing" 2>/dev/null | wc -l)" -gt 20 ] && break
  sleep 0.2
done
sleep 2
taskset -c 1 python3 - "$data/mail/outgoing" "$smtp_port" "$mails" "$connections" <<'PY'
import email, email.policy, glob, smtplib, statistics, sys, threading, time
folder, port, mails, connections = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
pairs = []
for path in glob.glob(folder + "/*.eml"):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    if msg["Reply-To"]:
        pairs.append((str(msg["To"]).strip(), str(msg["Reply-To"]).strip(), str(msg["Message-ID"]).strip()))
if not pairs:
    sys.exit("no delivered notification carries a reply address")

def body(sender, to, ref, n):
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: Re: bench {n}\r\nMessage-ID: <bench-{n}-{time.time_ns()}@client.test>\r\n"
            f"In-Reply-To: {ref}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Reply {n}: 확인했습니다, thank you.\r\n\r\nOn Fri, Dec 4, 2026 vocdesk wrote:\r\n> earlier text\r\n").encode()

def run(label, forged):
    times, lock = [], threading.Lock()
    def worker(k):
        smtp = smtplib.SMTP("127.0.0.1", port)
        for n in range(k, mails, connections):
            sender, to, ref = pairs[n % len(pairs)]
            if forged:
                sender = "mallory@evil.test"
            raw = body(sender, to, ref, n)
            t = time.perf_counter()
            smtp.sendmail(sender, [to], raw)
            with lock:
                times.append(time.perf_counter() - t)
        smtp.quit()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - started
    times.sort()
    print(f"{label}: {len(times)} mails over {connections} connections: median {statistics.median(times)*1000:.1f} ms, "
          f"p95 {times[int(len(times)*0.95)]*1000:.1f} ms, {len(times)/elapsed:.0f} mails/s")

run("joined (reply by its token's holder)", False)
run("held (forged sender)", True)
PY
# What became of them, from the server's log: a reply to a closed thread by a developer
# is held too (R4), so not every "joined" mail joins.
printf 'outcomes: %s joined, %s held, %s other\n' "$(grep -c 'outcome=Joined' "$log" || true)" \
  "$(grep -c 'outcome=Held' "$log" || true)" "$(grep 'received mail' "$log" | grep -vc 'outcome=Joined\|outcome=Held' || true)"
