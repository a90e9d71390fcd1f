#!/usr/bin/env python3
# schema_check.py SCHEMA FILE...: validates each JSON FILE against SCHEMA.
#
# Prints "FILE: PATH: problem" per invalid file and exits 1 if any is
# invalid.  Uses a small built-in validator for the JSON Schema keywords
# docs/recording.schema.json uses, so it needs nothing but python3; when the
# jsonschema module (Debian: python3-jsonschema) is importable it also checks
# the schema itself and that both validators agree on every file.
import json
import re
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"$schema", "$id", "title", "description", "$defs", "type", "const", "enum", "properties",
         "required", "additionalProperties", "propertyNames", "items", "maxItems", "minimum",
         "maximum", "pattern", "anyOf", "oneOf", "$ref"}


class Mini:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("only local $ref is supported: %s" % ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, s, v, path="$"):
        unknown = set(s) - KNOWN
        if unknown:
            raise ValueError("schema keyword(s) %s not supported by the mini validator" % unknown)
        if "$ref" in s:
            yield from self.errors(self.resolve(s["$ref"]), v, path)
        if "type" in s:
            ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(TYPES[t](v) for t in ts):
                yield "%s: expected %s, got %s" % (path, " or ".join(ts), json.dumps(v)[:40])
                return
        if "const" in s and not (v == s["const"] and type(v) is type(s["const"])):
            yield "%s: must be %s" % (path, json.dumps(s["const"]))
        if "enum" in s and v not in s["enum"]:
            yield "%s: %s is not one of %s" % (path, json.dumps(v), s["enum"])
        if TYPES["number"](v):
            if "minimum" in s and v < s["minimum"]:
                yield "%s: %s is less than %s" % (path, v, s["minimum"])
            if "maximum" in s and v > s["maximum"]:
                yield "%s: %s is more than %s" % (path, v, s["maximum"])
        if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
            yield "%s: %s does not match %s" % (path, json.dumps(v), s["pattern"])
        if isinstance(v, list):
            if "maxItems" in s and len(v) > s["maxItems"]:
                yield "%s: more than %d items" % (path, s["maxItems"])
            if "items" in s:
                for i, x in enumerate(v):
                    yield from self.errors(s["items"], x, "%s[%d]" % (path, i))
        if isinstance(v, dict):
            for r in s.get("required", []):
                if r not in v:
                    yield "%s: missing required key %s" % (path, json.dumps(r))
            props = s.get("properties", {})
            for k, x in v.items():
                if "propertyNames" in s:
                    for e in self.errors(s["propertyNames"], k, path):
                        yield "%s: key %s: %s" % (path, json.dumps(k), e.split(": ", 1)[1])
                sub = "%s.%s" % (path, k)
                if k in props:
                    yield from self.errors(props[k], x, sub)
                elif s.get("additionalProperties") is False:
                    yield "%s: unknown key %s" % (path, json.dumps(k))
                elif isinstance(s.get("additionalProperties"), dict):
                    yield from self.errors(s["additionalProperties"], x, sub)
        for key in ("anyOf", "oneOf"):
            if key in s:
                ok = sum(1 for b in s[key] if not any(True for _ in self.errors(b, v, path)))
                if (key == "anyOf" and ok == 0) or (key == "oneOf" and ok != 1):
                    yield "%s: does not match %s the alternatives of %s" % (
                        path, "any of" if key == "anyOf" else "exactly one of", key)


def main():
    schema = json.load(open(sys.argv[1]))
    mini = Mini(schema)
    try:
        import jsonschema
        jsonschema.Draft202012Validator.check_schema(schema)
        full = jsonschema.Draft202012Validator(schema)
    except ImportError:
        full = None
    bad = 0
    for f in sys.argv[2:]:
        try:
            doc = json.load(open(f))
        except ValueError as e:
            print("%s: invalid JSON: %s" % (f, e))
            bad += 1
            continue
        errs = list(mini.errors(schema, doc))
        if full is not None:
            full_errs = sorted(full.iter_errors(doc), key=lambda e: list(e.path))
            if bool(full_errs) != bool(errs):
                print("%s: validators disagree: jsonschema says %s, the built-in one says %s" % (
                    f, full_errs[0].message if full_errs else "valid", errs[0] if errs else "valid"))
                bad += 1
                continue
        if errs:
            print("%s: %s" % (f, errs[0]))
            bad += 1
    sys.exit(1 if bad else 0)


main()
