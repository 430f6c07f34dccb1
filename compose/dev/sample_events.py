#!/usr/bin/env python3
"""Writes a small sample of upstream VIGO events (CloudEvents, structured mode) for `make run`, one Kafka message per
line as `key|value`. Synthetic national IDs only (80 added to the month), valid check digits. Seeded: the same
sample each run. The full simulator is `otctl simulate` (the statistics issue)."""
import json, random, sys, uuid
from datetime import date, datetime, timezone

K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
COUNTIES = ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"]


def check(digits, weights):
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if k == 11 else (None if k == 10 else k)


def synthetic_id(born, serial):
    """A synthetic fødselsnummer for someone born in 2000-2039 (individual numbers 500-999)."""
    for individual in range(500 + serial % 500, 1000):
        digits = [int(c) for c in f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{individual:03d}"]
        k1 = check(digits, K1)
        if k1 is None:
            continue
        k2 = check(digits + [k1], K2)
        if k2 is None:
            continue
        return "".join(map(str, digits + [k1, k2]))
    raise ValueError("no valid number")


def event(kind, data, time):
    return json.dumps({"specversion": "1.0", "id": str(uuid.uuid4()), "source": "urn:vigo:sample", "type": kind,
                       "time": time, "datacontenttype": "application/json", "data": data}, separators=(",", ":"))


def main(count):
    rng = random.Random(2026)
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128))  # deterministic ids for a seeded sample
    lines = []
    for n in range(count):
        born = date(2005 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28))
        pid = synthetic_id(born, n)
        county = COUNTIES[n % len(COUNTIES)]
        lines.append((pid, event("no.vigo.person.updated", {"personId": pid, "birthDate": born.isoformat(),
                     "gender": rng.choice("KM"), "countyNumber": county, "municipalityNumber": county + "01"},
                     "2026-01-05T08:00:00Z")))
        roll = rng.random()
        if roll < 0.35:
            lines.append((pid, event("no.vigo.application.missing", {"personId": pid, "schoolYear": "2026-2027",
                         "deadline": "2026-03-01"}, "2026-03-02T08:00:00Z")))
        elif roll < 0.65:
            lines.append((pid, event("no.vigo.enrollment.dropped-out", {"personId": pid, "schoolYear": "2025-2026",
                         "date": "2026-02-%02d" % (1 + rng.randrange(27)), "reasonCode": rng.choice(["FR", "FV", "IM", "AP"])},
                         "2026-02-28T08:00:00Z")))
        elif roll < 0.82:
            lines.append((pid, event("no.vigo.offer.answered", {"personId": pid, "schoolYear": "2026-2027",
                         "programmeAreaCode": "SSSSF1----", "schoolOrgNumber": "974544202",
                         "answer": rng.choice(["DECLINED", "NO_ANSWER"])}, "2026-07-20T08:00:00Z")))
        else:
            lines.append((pid, event("no.vigo.enrollment.started", {"personId": pid, "schoolYear": "2025-2026",
                         "schoolOrgNumber": "974544202", "programmeAreaCode": "SSSSF1----", "startDate": "2025-08-20",
                         "kind": "PUPIL"}, "2025-08-20T08:00:00Z")))
    for key, value in lines:
        print(f"{key}|{value}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
