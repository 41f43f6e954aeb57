// node --test: every object inspect() returns matches the hand-written TypeScript declarations
// in bindings-wasm/index.d.ts, key for key and type for type (so the .d.ts cannot drift from
// the Rust DTO without a failing test).
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

import { OWN_FIXTURES, REPO, filesUnder, generateInvoice, loadWasm, sharedFixtures } from "./helpers.mjs";

const wasm = loadWasm();
const dts = readFileSync(path.join(REPO, "bindings-wasm", "index.d.ts"), "utf8");

/** interface name -> { field: type text }, and type alias name -> type text. */
function parseDts(text) {
  const clean = text.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  const interfaces = {};
  for (const m of clean.matchAll(/export interface (\w+)(?: extends \w+)? \{([\s\S]*?)\n\}/g)) {
    const fields = {};
    for (const f of m[2].matchAll(/^\s*(\w+)(\??): ([^;]+);/gm)) fields[f[1]] = f[3].trim();
    interfaces[m[1]] = fields;
  }
  const aliases = {};
  for (const m of clean.matchAll(/export type (\w+) = ([^;]+);/g)) aliases[m[1]] = m[2].trim();
  return { interfaces, aliases };
}

const { interfaces, aliases } = parseDts(dts);

function splitUnion(type) {
  const parts = [];
  let depth = 0, cur = "";
  for (const ch of type) {
    if (ch === "(" || ch === "<") depth++;
    if (ch === ")" || ch === ">") depth--;
    if (ch === "|" && depth === 0) { parts.push(cur.trim()); cur = ""; } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

/** Returns null when `value` matches `type`, else a description of the mismatch. */
function mismatch(value, type, where) {
  const options = splitUnion(type);
  if (options.length > 1) {
    const errors = options.map((o) => mismatch(value, o, where));
    return errors.some((e) => e === null) ? null : `${where}: ${JSON.stringify(value)?.slice(0, 60)} is not ${type}`;
  }
  const t = options[0];
  if (t === "null") return value === null ? null : `${where}: expected null`;
  if (t === "string" || t === "number" || t === "boolean") return typeof value === t ? null : `${where}: expected ${t}, got ${typeof value}`;
  if (/^".*"$/.test(t)) return value === JSON.parse(t) ? null : `${where}: ${JSON.stringify(value)} is not ${t}`;
  if (t.endsWith("[]")) {
    if (!Array.isArray(value)) return `${where}: expected an array`;
    for (let i = 0; i < value.length; i++) {
      const e = mismatch(value[i], t.slice(0, -2), `${where}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (aliases[t]) return mismatch(value, aliases[t], where);
  const iface = interfaces[t];
  if (!iface) return `${where}: unknown type ${t} in index.d.ts`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return `${where}: expected ${t} object`;
  const declared = Object.keys(iface).sort();
  const actual = Object.keys(value).sort();
  if (declared.join() !== actual.join()) {
    return `${where} (${t}): keys differ\n  declared: ${declared.join(", ")}\n  actual:   ${actual.join(", ")}`;
  }
  for (const [k, kt] of Object.entries(iface)) {
    const e = mismatch(value[k], kt, `${where}.${k}`);
    if (e) return e;
  }
  return null;
}

describe("package.json", () => {
  it("points at the built files and the types", async () => {
    const dir = path.join(REPO, "bindings-wasm");
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(pkg.name, "hacienda-wasm");
    assert.equal(pkg.types, "./index.d.ts");
    const { createRequire } = await import("node:module");
    const viaPackage = createRequire(import.meta.url)(path.join(dir, pkg.exports["."].node));
    assert.equal(viaPackage.version(), pkg.version);
    for (const key of ["types", "browser", "default"]) {
      assert.ok(statSync(path.join(dir, pkg.exports["."][key])).isFile(), key);
    }
  });
});

describe("index.d.ts", () => {
  it("declares the Inspection and the functions", () => {
    assert.ok(interfaces.Inspection && Object.keys(interfaces.Inspection).length > 20);
    assert.match(dts, /export function inspect\(input: string \| Uint8Array\): Inspection;/);
    for (const fn of ["inspect", "version", "schemaRoots"]) assert.equal(typeof wasm[fn], "function", fn);
    assert.ok(wasm.schemaRoots().includes("FacturaElectronica"));
  });
  it("the checker catches a wrong object", () => {
    const r = wasm.inspect(readFileSync(path.join(OWN_FIXTURES, "inputs", "fe_v44_ferreteria.xml")));
    assert.equal(mismatch(r, "Inspection", "r"), null);
    assert.match(mismatch({ ...r, extra: 1 }, "Inspection", "r"), /keys differ/);
    assert.match(mismatch({ ...r, lines: [{ ...r.lines[0], quantity: 5 }] }, "Inspection", "r"), /lines\[0\]\.quantity/);
    assert.match(mismatch({ ...r, verdict: { ...r.verdict, badge: "great" } }, "Inspection", "r"), /badge/);
  });

  const inputs = filesUnder(path.join(OWN_FIXTURES, "inputs"), [".xml", ".json"]);
  const shared = sharedFixtures();
  if (shared) inputs.push(...filesUnder(path.join(shared, "documents"), [".xml"]), ...filesUnder(path.join(shared, "responses"), [".xml"]));
  for (const file of inputs) {
    it(`${path.basename(file)} matches Inspection`, () => {
      const e = mismatch(wasm.inspect(readFileSync(file)), "Inspection", "r");
      assert.equal(e, null, e);
    });
  }
  it("a broken generated invoice matches Inspection (checks, problems)", () => {
    const e = mismatch(wasm.inspect(generateInvoice(20, { breakTotal: true })), "Inspection", "r");
    assert.equal(e, null, e);
  });
  it("thrown errors match HaciendaError", () => {
    try {
      wasm.inspect("<x");
      assert.fail("should throw");
    } catch (err) {
      assert.equal(err.name, "HaciendaError");
      assert.ok(err instanceof Error);
      const declared = interfaces.HaciendaError;
      assert.deepEqual(Object.keys(declared).sort(), ["field", "kind", "name"]);
      assert.equal(mismatch(err.kind, declared.kind, "kind"), null);
      assert.equal(mismatch(err.field, declared.field, "field"), null);
    }
  });
});
