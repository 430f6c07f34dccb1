#!/usr/bin/env python3
"""Checks CloudEvents against the JSON Schemas of the VIGO OT event contract (schemas/ beside this script).

    python3 validate.py FILE...                  each event against the schema of its `type`
    python3 validate.py --schema S.json FILE...  each event against one schema
    python3 validate.py --check-schemas          every schema against the JSON Schema 2020-12 meta-schema

A FILE (`-` for standard input) holds one event, a JSON object, or JSON lines: one event per line. For each event
it prints `LOCATION: ok TYPE ID` or `LOCATION: invalid: REASON` (LOCATION is the file, with `:LINE` for JSON
lines), as `otctl validate` does, and exits 1 when any is invalid (2 for a usage error). National IDs in the output
are masked (`018208*****`).

The schemas check the envelope, every field's presence, type and format, and the code lists. A national ID's check
digits and each type's rules across fields are checked by the services' own decoding: `otctl validate FILE`.
Needs the jsonschema package (`pip install jsonschema`).
"""

import argparse
import json
import os
import re
import sys

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, best_match
except ImportError:
    sys.exit("validate.py needs the jsonschema package: pip install jsonschema")

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
EVENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
NATIONAL_ID = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{5}(?![0-9])")


def mask(text):
    """Every run of exactly eleven digits (what a national ID looks like) as its first six and `*****`."""
    return NATIONAL_ID.sub(r"\1*****", text)


def validator(path):
    with open(path, encoding="utf-8") as file:
        schema = json.load(file)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def events(name, text):
    """(location, text) of each event: each line of JSON lines (several lines, the first a whole object), or the
    whole text as one event."""
    lines = text.splitlines()
    events = [line.strip() for line in lines if line.strip()]
    if len(events) > 1 and len(events[0]) > 1 and events[0].startswith("{") and events[0].endswith("}"):
        return [(f"{name}:{number}", line) for number, line in enumerate(lines, 1) if line.strip()]
    return [(name, text)]


def path_of(error):
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path or "the event"


def check(location, text, fixed, cache):
    try:
        event = json.loads(text)
    except ValueError as error:
        return f"{location}: invalid: malformed JSON: {error}"
    if not isinstance(event, dict):
        return f"{location}: invalid: an event is a JSON object"
    event_type = event.get("type")
    if fixed is not None:
        checker = fixed
    elif not isinstance(event_type, str) or not EVENT_TYPE.match(event_type):
        return f"{location}: invalid: type: missing or not an event type"
    else:
        path = os.path.join(SCHEMAS, event_type + ".json")
        if not os.path.exists(path):
            return f"{location}: invalid: type: {event_type} is not an event type of the contract"
        checker = cache.get(path) or cache.setdefault(path, validator(path))
    error = best_match(checker.iter_errors(event))
    if error is not None:
        return f"{location}: invalid: {path_of(error)}: {error.message}"
    return f"{location}: ok {event_type} {event.get('id')}"


def main():
    global SCHEMAS
    parser = argparse.ArgumentParser(description="Check CloudEvents against the VIGO OT contract's JSON Schemas.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="event files (one event, or JSON lines); - for stdin")
    parser.add_argument("--schema", help="check every event against this schema instead of its type's")
    parser.add_argument("--schemas", help="the folder of the schemas (default: schemas/ beside this script)")
    parser.add_argument("--check-schemas", action="store_true", help="check the schemas against the meta-schema")
    arguments = parser.parse_args()
    if arguments.schemas:
        SCHEMAS = arguments.schemas

    if arguments.check_schemas:
        for name in sorted(os.listdir(SCHEMAS)):
            try:
                validator(os.path.join(SCHEMAS, name))
            except (SchemaError, ValueError) as error:
                print(f"{name}: invalid schema: {error}")
                return 1
            print(f"{name}: ok schema")
        return 0
    if not arguments.files:
        parser.print_usage(sys.stderr)
        return 2

    fixed = None
    if arguments.schema:
        try:
            fixed = validator(arguments.schema)
        except (OSError, SchemaError, ValueError) as error:
            print(f"validate.py: {arguments.schema}: {error}", file=sys.stderr)
            return 2
    cache = {}
    invalid = 0
    for name in arguments.files:
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                with open(name, encoding="utf-8") as file:
                    text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            print(mask(f"{name}: invalid: cannot read: {error}"))
            invalid += 1
            continue
        for location, event in events(name, text):
            line = check(location, event, fixed, cache)
            invalid += not line.startswith(f"{location}: ok ")
            print(mask(line))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
