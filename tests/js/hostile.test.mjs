// node --test: the shared hostile-input corpus (tests/fixtures/hostile/cases.json) through the
// WASM build's inspect(): every case gives the expected typed error or a result, never a crash,
// a hang or runaway memory. Entry points: `any` and `message` go straight to inspect; `status`
// bodies too (an `ok` status reports a broken respuesta-xml as a problem, not an exception);
// `submit_headers` has no WASM entry point and is covered by the Rust and Python suites.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

import { OWN_FIXTURES, loadWasm } from "./helpers.mjs";

const wasm = loadWasm();
const { cases } = JSON.parse(readFileSync(path.join(OWN_FIXTURES, "hostile", "cases.json"), "utf8"));
const MB = 1024 * 1024;

function build(c) {
  const chunks = [];
  for (const part of c.parts) {
    if (part.hex !== undefined) chunks.push(Buffer.from(part.hex, "hex"));
    else if (part.pattern !== undefined) {
      const out = [];
      for (let i = 0; i < part.count; i++) out.push(part.pattern.replaceAll("{i}", String(i)));
      chunks.push(Buffer.from(out.join("")));
    } else chunks.push(Buffer.from(part.text.repeat(part.repeat ?? 1)));
  }
  let data = Buffer.concat(chunks);
  if (c.encode === "utf-16le-bom") data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(data.toString("utf8"), "utf16le")]);
  if (c.wrap === "base64") data = Buffer.from(data.toString("base64"));
  if (c.wrap === "status") {
    data = Buffer.from(JSON.stringify({
      clave: "50601011900310123456700100001010000000001100000001", "ind-estado": "rechazado", "respuesta-xml": data.toString("base64"),
    }));
  }
  return data;
}

describe("hostile corpus through inspect()", () => {
  let rssGrowth = 0;
  for (const c of cases.filter((x) => x.entry !== "submit_headers")) {
    it(`${c.name} (${c.entry}) -> ${c.expect}`, () => {
      const data = build(c);
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      let result = null, error = null;
      try {
        result = wasm.inspect(data);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      const grew = Math.max(0, process.memoryUsage().rss - rss);
      rssGrowth += grew;
      console.log(`hostile ${c.name}: ${(data.length / MB).toFixed(1)} MB in, ${ms.toFixed(0)} ms, RSS +${(grew / MB).toFixed(1)} MB`);
      assert.ok(ms < 10000, `${c.name} took ${ms} ms`);
      if (error) {
        assert.ok(error instanceof Error, "a JS Error");
        assert.equal(typeof error.kind, "string", "with a kind");
      }
      if (c.expect === "ok") {
        assert.equal(error, null, error && `${error.kind}: ${error.message}`);
        if (c.message_error) {
          assert.equal(result.kind, "status");
          assert.match(result.status.responseError ?? "", /\S/, "the broken respuesta-xml is reported");
        }
      } else if (c.expect === "any_error") {
        assert.ok(error, "an error");
      } else {
        assert.ok(error, `expected ${c.expect}, got a result`);
        assert.equal(error.kind, c.expect, error.message);
      }
    });
  }
  it("memory stays bounded over the whole corpus (WebAssembly memory never shrinks)", () => {
    assert.ok(rssGrowth < 1024 * MB, `RSS grew ${(rssGrowth / MB).toFixed(0)} MB`);
  });
});
