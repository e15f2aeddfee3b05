#!/usr/bin/env python3
"""Checks that the JSON Schema and omnicron's loader agree.

Every examples/*.yaml must be valid for both: the schema accepts it and
`omnicron validate FILE` exits 0. Every bad/*.yaml must be refused by both:
the schema reports an error and `omnicron validate FILE` exits 2. Prints one
line per disagreement and a one-line summary; exits 1 on any disagreement.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML with YAML 1.2's core schema, as editors and omnicron read YAML.

    PyYAML follows YAML 1.1, where `on`, `yes` and `off` are booleans, 06:00
    is a sexagesimal number and 2024-01-01 a date; omnicron (and the
    yaml-language-server) read all of those as strings. Without this, the key
    `on:` in `{ on: boot }` would reach the schema as the boolean True.
    """


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+0123456789.")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def schema_errors(validator, path):
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    except yaml.YAMLError as e:
        return [f"not YAML: {e}"]
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in validator.iter_errors(document)]


def omnicron_status(binary, path):
    run = subprocess.run([binary, "validate", str(path)], capture_output=True, text=True)
    return run.returncode, run.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--omnicron", required=True, help="the omnicron binary")
    parser.add_argument("--schema", required=True, type=pathlib.Path)
    parser.add_argument("--examples", required=True, type=pathlib.Path)
    parser.add_argument("--bad", required=True, type=pathlib.Path)
    args = parser.parse_args()

    schema = json.loads(args.schema.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    problems = []
    good = sorted(args.examples.glob("*.yaml"))
    bad = sorted(args.bad.glob("*.yaml"))
    if not good or not bad:
        problems.append(f"no cases found ({len(good)} examples, {len(bad)} bad manifests)")

    for path in good:
        errors = schema_errors(validator, path)
        if errors:
            problems.append(f"{path.name}: the schema refuses an example: {errors[0]}")
        status, stderr = omnicron_status(args.omnicron, path)
        if status != 0:
            first = stderr.strip().splitlines()[0] if stderr.strip() else "(no output)"
            problems.append(f"{path.name}: omnicron validate exits {status} on an example: {first}")

    for path in bad:
        if not schema_errors(validator, path):
            problems.append(f"bad/{path.name}: the schema accepts it")
        status, _ = omnicron_status(args.omnicron, path)
        if status != 2:
            problems.append(f"bad/{path.name}: omnicron validate exits {status}, expected 2")

    for p in problems:
        print(p)
    verdict = "FAILED" if problems else "ok"
    print(f"schema check {verdict}: {len(good)} examples, {len(bad)} bad manifests, "
          f"{len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
