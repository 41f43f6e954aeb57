#!/usr/bin/env python3
"""Generates the compact structural rule table of the official v4.4 XSDs.

Reads every `*_V4.4.xsd` under the XSD folder (default: the shared fixtures,
`shared/fixtures/hacienda/xsd/v4.4`) and writes `core/src/inspect/schema_rules.json`, which
the core embeds and checks documents against (required elements, order, occurrences, lengths,
code lists, digit patterns, numeric ranges and digits).

    python tools/gen_schema_rules.py [--xsd DIR] [--out FILE] [--check]

`--check` compares instead of writing and exits 1 on a difference (used by the Rust test
`schema_rules_match_the_xsds`). Any XSD construct this table cannot express (a choice, a
pattern other than digit counts, an unknown base type) stops the script: nothing is guessed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
BUILTINS = {
    "xs:string": "string",
    "xs:decimal": "decimal",
    "xs:integer": "integer",
    "xs:positiveInteger": "positiveInteger",
    "xs:nonNegativeInteger": "nonNegativeInteger",
    "xs:dateTime": "dateTime",
    "xs:date": "date",
}
DIGIT_PATTERN = re.compile(r"^(?:\\d)+$|^\\d\{(\d+),(\d+)\}$|^\\d\{(\d+)\}$")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "core" / "src" / "inspect" / "schema_rules.json"


def find_xsd_dir() -> Path | None:
    for parent in [ROOT, *ROOT.parents]:
        candidate = parent / "shared" / "fixtures" / "hacienda" / "xsd" / "v4.4"
        if candidate.is_dir():
            return candidate
    return None


class Fail(Exception):
    pass


def digit_pattern(value: str) -> list[int]:
    """`\\d\\d` -> [2, 2]; `\\d{9,12}` -> [9, 12]. Anything else is refused."""
    m = DIGIT_PATTERN.match(value)
    if not m:
        raise Fail(f"unsupported pattern {value!r}")
    if m.group(1) is not None:
        return [int(m.group(1)), int(m.group(2))]
    if m.group(3) is not None:
        return [int(m.group(3)), int(m.group(3))]
    n = value.count("\\d")
    return [n, n]


class Builder:
    def __init__(self) -> None:
        self.simple: list[dict] = []
        self.simple_index: dict[str, int] = {}
        self.complex: list[dict] = []
        self.complex_index: dict[str, int] = {}

    def intern(self, table: list[dict], index: dict[str, int], value: dict) -> int:
        key = json.dumps(value, sort_keys=True, ensure_ascii=False)
        if key not in index:
            index[key] = len(table)
            table.append(value)
        return index[key]

    # ------------------------------------------------------------ simple types
    def simple_facets(self, schema: etree._Element, st: etree._Element) -> dict:
        restriction = st.find(XS + "restriction")
        if restriction is None:
            raise Fail(f"simpleType without restriction at line {st.sourceline}")
        base = restriction.get("base", "")
        if base in BUILTINS:
            facets: dict = {"base": BUILTINS[base]}
        else:
            facets = dict(self.named_simple(schema, base))
        enum = [e.get("value") for e in restriction.findall(XS + "enumeration")]
        if enum:
            facets["enum"] = enum
        for child in restriction:
            tag = child.tag.replace(XS, "") if isinstance(child.tag, str) else ""
            value = child.get("value")
            if tag in ("minLength", "maxLength", "length", "totalDigits", "fractionDigits"):
                facets[tag] = int(value)
            elif tag in ("minInclusive", "maxInclusive"):
                facets[tag] = value
            elif tag == "pattern":
                facets["digits"] = digit_pattern(value)
            elif tag in ("enumeration", "annotation", ""):
                continue
            else:
                raise Fail(f"unsupported facet {tag} at line {child.sourceline}")
        if "length" in facets:
            facets["minLength"] = facets["maxLength"] = facets.pop("length")
        return facets

    def named_simple(self, schema: etree._Element, name: str) -> dict:
        for st in schema.findall(XS + "simpleType"):
            if st.get("name") == name:
                return self.simple_facets(schema, st)
        raise Fail(f"unknown simple type {name}")

    def simple_id(self, facets: dict) -> int:
        return self.intern(self.simple, self.simple_index, facets)

    # ------------------------------------------------------------ complex types
    def element_type(self, schema: etree._Element, el: etree._Element) -> dict:
        type_name = el.get("type")
        if type_name:
            if type_name in BUILTINS:
                return {"s": self.simple_id({"base": BUILTINS[type_name]})}
            for st in schema.findall(XS + "simpleType"):
                if st.get("name") == type_name:
                    return {"s": self.simple_id(self.simple_facets(schema, st))}
            for ct in schema.findall(XS + "complexType"):
                if ct.get("name") == type_name:
                    return {"c": self.complex_type(schema, ct)}
            raise Fail(f"unknown type {type_name}")
        st = el.find(XS + "simpleType")
        if st is not None:
            return {"s": self.simple_id(self.simple_facets(schema, st))}
        ct = el.find(XS + "complexType")
        if ct is not None:
            return {"c": self.complex_type(schema, ct)}
        return {"s": self.simple_id({"base": "string"})}

    def complex_type(self, schema: etree._Element, ct: etree._Element) -> int:
        parts = [k for k in ct if isinstance(k.tag, str) and k.tag != XS + "annotation"]
        tags = [p.tag.replace(XS, "") for p in parts]
        value: dict = {}
        if tags == ["sequence"]:
            value["children"] = [
                self.particle(schema, p)
                for p in parts[0]
                if isinstance(p.tag, str) and p.tag != XS + "annotation"
            ]
        elif tags == ["simpleContent"]:
            ext = parts[0].find(XS + "extension")
            if ext is None:
                raise Fail(f"simpleContent without extension at line {ct.sourceline}")
            base = ext.get("base", "")
            facets = {"base": BUILTINS[base]} if base in BUILTINS else self.named_simple(schema, base)
            value["text"] = self.simple_id(facets)
            attrs = []
            for a in ext.findall(XS + "attribute"):
                attrs.append(
                    {
                        "name": a.get("name"),
                        "required": a.get("use") == "required",
                        "s": self.element_type(schema, a)["s"],
                    }
                )
            value["attributes"] = attrs
        else:
            raise Fail(f"unsupported complexType content {tags} at line {ct.sourceline}")
        return self.intern(self.complex, self.complex_index, value)

    def particle(self, schema: etree._Element, p: etree._Element) -> dict:
        if p.tag != XS + "element":
            raise Fail(f"unsupported particle {p.tag} at line {p.sourceline}")
        max_occurs = p.get("maxOccurs", "1")
        child: dict = {
            "min": int(p.get("minOccurs", "1")),
            "max": None if max_occurs == "unbounded" else int(max_occurs),
        }
        ref = p.get("ref")
        if ref:
            child["name"] = ref.split(":")[-1]
            child["any"] = True  # ds:Signature: its own schema, not checked here
        else:
            child["name"] = p.get("name")
            child.update(self.element_type(schema, p))
        return child


def generate(xsd_dir: Path) -> dict:
    builder = Builder()
    roots = {}
    sources = {}
    for path in sorted(xsd_dir.glob("*_V4.4.xsd")):
        schema = etree.parse(str(path)).getroot()
        sources[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for el in schema.findall(XS + "element"):
            roots[el.get("name")] = {
                "namespace": schema.get("targetNamespace"),
                "c": builder.element_type(schema, el)["c"],
            }
    if not roots:
        raise Fail(f"no *_V4.4.xsd in {xsd_dir}")
    return {
        "about": "Generated by tools/gen_schema_rules.py from the official v4.4 XSDs; do not edit.",
        "sources": sources,
        "roots": dict(sorted(roots.items())),
        "complex": builder.complex,
        "simple": builder.simple,
    }


def render(table: dict) -> str:
    # One entry per line: small diffs, readable, compact.
    lines = ["{"]
    lines.append(f'  "about": {json.dumps(table["about"])},')
    lines.append(f'  "sources": {json.dumps(table["sources"], sort_keys=True)},')
    lines.append('  "roots": {')
    items = list(table["roots"].items())
    for i, (name, root) in enumerate(items):
        sep = "," if i + 1 < len(items) else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(root, ensure_ascii=False)}{sep}")
    lines.append("  },")
    for key in ("complex", "simple"):
        lines.append(f'  "{key}": [')
        rows = table[key]
        for i, row in enumerate(rows):
            sep = "," if i + 1 < len(rows) else ""
            lines.append(f"    {json.dumps(row, ensure_ascii=False)}{sep}")
        lines.append("  ]," if key == "complex" else "  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xsd", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    xsd_dir = args.xsd or find_xsd_dir()
    if xsd_dir is None or not xsd_dir.is_dir():
        print("gen_schema_rules: XSD folder not found (set --xsd)", file=sys.stderr)
        return 2
    try:
        text = render(generate(xsd_dir))
    except Fail as e:
        print(f"gen_schema_rules: {e}", file=sys.stderr)
        return 3
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"gen_schema_rules: {args.out} differs from the XSDs; regenerate it", file=sys.stderr)
            return 1
        print(f"gen_schema_rules: {args.out.name} matches {len(text)} bytes")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
