#!/usr/bin/env bash
# `make run`: the embedded broker and the services built so far (ot-registrations), a sample of upstream events,
# and what the services made of them. Stops everything on exit or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/debug
data=$(mktemp -d /tmp/ot-run.XXXXXX)
pids=()
cleanup() {
  # Services first (they finish their batch and publish their outbox), the broker last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  rm -rf "$data"
}
trap cleanup EXIT INT TERM

export OT_DATA_DIR=$data OT_LOG_LEVEL=${OT_LOG_LEVEL:-warning}
"$bin/ot-dev-broker" --data-dir "$data" > "$data/broker.out" & pids+=($!)
for _ in $(seq 300); do [ -s "$data/bootstrap.servers" ] && break; sleep 0.1; done
brokers=$(cat "$data/bootstrap.servers")
echo "embedded broker: $brokers"

port=${OT_HTTP_PORT:-8081}
OT_HTTP_PORT=$port "$bin/ot-registrations" & pids+=($!)
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break; sleep 0.2; done
echo "ot-registrations: $(curl -s "http://127.0.0.1:$port/health/ready")"

youths=${OT_SAMPLE_YOUTHS:-300}
python3 compose/dev/sample_events.py "$youths" > "$data/events.txt"
kcat -P -b "$brokers" -t vigo.enrollment.v1 -K '|' -H content-type=application/cloudevents+json -l "$data/events.txt"
echo "published $(wc -l < "$data/events.txt") upstream events for $youths synthetic youths"

# Wait until the service has consumed everything (the processed counter stops growing at the input count).
expected=$(wc -l < "$data/events.txt")
for _ in $(seq 600); do
  done_count=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^ot_events_processed_total/ {print $2}')
  [ "${done_count:-0}" -ge "$expected" ] && break
  sleep 0.2
done
echo "processed: ${done_count:-0} of $expected"
# ...and until its outbox is published: the published counter has stopped moving and nothing is left.
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 ~ "^"name {sum += $2} END {print sum + 0}'; }
previous=-1
for _ in $(seq 120); do
  published=$(metric ot_outbox_published_total)
  [ "$published" = "$previous" ] && [ "$(metric ot_outbox_backlog_rows)" = "0" ] && break
  previous=$published
  sleep 0.5
done
kcat -C -b "$brokers" -t ot.registrations.v1 -e -q -f '%s\n' > "$data/registrations.jsonl"
python3 - "$data/registrations.jsonl" <<'PY'
import collections, json, sys
names = {"03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland", "31": "Østfold", "32": "Akershus",
         "33": "Buskerud", "34": "Innlandet", "39": "Vestfold", "40": "Telemark", "42": "Agder", "46": "Vestland",
         "50": "Trøndelag", "55": "Troms", "56": "Finnmark"}
types = collections.Counter()
open_registrations = {}
for line in open(sys.argv[1]):
    event = json.loads(line)
    types[event["type"]] += 1
    data = event["data"]
    if event["type"] == "no.ot.youth.registered":
        open_registrations[data["registrationId"]] = (data["countyNumber"], data["reason"])
    elif event["type"] == "no.ot.youth.registration-closed":
        open_registrations.pop(data["registrationId"], None)
by_county = collections.defaultdict(collections.Counter)
for county, reason in open_registrations.values():
    by_county[county][reason] += 1
print("\nyouths registered in OT now (open registrations), by county and reason; no personal data shown:")
print(f"{'county':<22}{'IKKE_SOKT':>10}{'TAKKET_NEI':>11}{'SLUTTET':>9}{'total':>7}")
for county in sorted(by_county):
    c = by_county[county]
    print(f"{county + ' ' + names.get(county, ''):<22}{c['IKKE_SOKT']:>10}{c['TAKKET_NEI']:>11}{c['SLUTTET']:>9}{sum(c.values()):>7}")
print(f"{'all':<22}{sum(c['IKKE_SOKT'] for c in by_county.values()):>10}{sum(c['TAKKET_NEI'] for c in by_county.values()):>11}"
      f"{sum(c['SLUTTET'] for c in by_county.values()):>9}{len(open_registrations):>7}")
print("\nevents by type:", ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
PY
echo
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^ot_(events|commands|outbox_published)' || true
