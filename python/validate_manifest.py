"""Validates package manifests with the `jsonschema` package (Draft 2020-12), the reference for
docs/package-manifest.schema.json: validate_manifest.py SCHEMA MANIFEST... -> JSON {path: [error messages]}."""
import json
import sys

from jsonschema import Draft202012Validator

with open(sys.argv[1]) as f:
    schema = json.load(f)
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
out = {}
for path in sys.argv[2:]:
    with open(path) as f:
        doc = json.load(f)
    out[path] = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
json.dump(out, sys.stdout)
