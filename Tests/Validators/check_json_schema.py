"""Validates JSON files against a JSON Schema (2020-12), formats included (jsonschema +
rfc3339-validator), as any consumer of Acquis' exports would.

Usage: check_json_schema.py SCHEMA FILE...
"""
import json, os, sys
from jsonschema import Draft202012Validator

schema_path, *files = sys.argv[1:]
schema = json.load(open(schema_path, encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
failures = 0
for path in files:
    errors = [("/".join(map(str, e.path)), e.message[:160]) for e in validator.iter_errors(json.load(open(path, encoding="utf-8")))]
    print(("ok  " if not errors else "FAIL") + f" {os.path.basename(path)} {errors[:3] if errors else ''}")
    failures += bool(errors)
sys.exit(1 if failures else 0)
