// node --test: inspect() of the node build over the repo's inputs, the shared real samples,
// every wrapping (base64, BOM, UTF-16, Latin-1, status JSON) and broken documents.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

import {
  OWN_FIXTURES, claveOf, expectedFromName, filesUnder, generateInvoice, loadWasm, requireFixtures, sharedFixtures,
} from "./helpers.mjs";

const wasm = loadWasm();
const inputs = path.join(OWN_FIXTURES, "inputs");
const read = (name) => readFileSync(path.join(inputs, name));

function checkCase(r, c) {
  const label = c.file;
  for (const key of ["kind", "rootElement", "schemaVersion", "documentType", "schemaChecked", "container"]) {
    if (key in c) assert.equal(r[key], c[key], `${label}: ${key}`);
  }
  if ("clave" in c) assert.equal(r.clave.digits, c.clave, `${label}: clave`);
  if ("badge" in c) assert.equal(r.verdict.badge, c.badge, `${label}: badge`);
  if ("lines" in c) assert.equal(r.lines.length, c.lines, `${label}: lines`);
  if ("state" in c) assert.equal(r.status.state, c.state, `${label}: state`);
  if ("answerCodes" in c) assert.deepEqual(r.answer.lines.map((l) => l.code), c.answerCodes, `${label}: codes`);
  if ("category" in c) {
    const cls = (r.answer && r.answer.classification) || (r.status && r.status.classification);
    assert.equal(cls.category, c.category, `${label}: category`);
  }
  if ("errorCodes" in c) {
    assert.deepEqual(r.problems.filter((p) => p.severity === "error").map((p) => p.code), c.errorCodes, `${label}: errors`);
  }
}

describe("repo inputs (tests/fixtures/inspect_cases.json)", () => {
  const { cases } = JSON.parse(readFileSync(path.join(OWN_FIXTURES, "inspect_cases.json"), "utf8"));
  for (const c of cases) {
    it(c.file, () => checkCase(wasm.inspect(read(c.file)), c));
  }
  it("every input file has a case", () => {
    const named = new Set(cases.map((c) => c.file));
    for (const f of filesUnder(inputs, [".xml", ".json"])) assert.ok(named.has(path.basename(f)), path.basename(f));
  });
});

describe("shared real samples (../shared/fixtures/hacienda)", () => {
  const root = sharedFixtures();
  if (!root) {
    it("fixtures folder", { skip: !requireFixtures && "shared/fixtures/hacienda not found (set HACIENDA_FIXTURES)" }, () => {
      assert.fail("HACIENDA_REQUIRE_FIXTURES=1 but shared/fixtures/hacienda was not found");
    });
    return;
  }
  const files = filesUnder(path.join(root, "documents"), [".xml"]).concat(filesUnder(path.join(root, "responses"), [".xml"]));
  it("has samples", () => assert.ok(files.length >= 20, `${files.length} samples`));
  for (const file of files) {
    it(path.basename(file), () => {
      const bytes = readFileSync(file);
      const want = expectedFromName(file);
      assert.ok(want, `cannot tell the kind of ${file} from its name`);
      const r = wasm.inspect(bytes);
      assert.equal(r.kind, want.kind);
      assert.equal(r.rootElement, want.root);
      assert.equal(r.schemaVersion, want.version);
      assert.equal(r.clave.digits, claveOf(bytes.toString("utf8")));
      assert.equal(r.clave.valid, true);
      if (want.kind === "document") {
        const text = bytes.toString("utf8");
        assert.equal(r.lines.length, (text.match(/<(?:[\w-]+:)?LineaDetalle>/g) || []).length, "lines");
        assert.equal(r.references.length, (text.match(/<(?:[\w-]+:)?InformacionReferencia>/g) || []).length, "references");
        assert.ok(r.lines.length >= 1, "has lines");
      }
      if (/_signed_|mh_/.test(path.basename(file))) {
        assert.ok(r.signature, "signature facts");
        assert.match(r.signature.subject, /CN=/);
        assert.match(r.signature.serial, /^\d+$/);
        assert.match(r.signature.signingTime, /^20\d\d-/);
      }
      // The same sample as base64 and as a status JSON gives the same facts.
      const b64 = wasm.inspect(bytes.toString("base64"));
      assert.equal(b64.container, "base64");
      assert.equal(b64.clave.digits, r.clave.digits);
      if (want.kind === "hacienda_message") {
        const status = JSON.stringify({ clave: r.clave.digits, "ind-estado": "aceptado", "respuesta-xml": bytes.toString("base64") });
        const s = wasm.inspect(status);
        assert.equal(s.kind, "status");
        assert.equal(s.answer.decision, r.answer.decision);
      }
    });
  }
});

describe("encodings and wrappings", () => {
  const xml = read("fe_v44_ferreteria.xml").toString("utf8");
  const base = wasm.inspect(xml);
  it("BOM", () => {
    const r = wasm.inspect(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]));
    assert.equal(r.clave.digits, base.clave.digits);
  });
  it("UTF-16 LE with BOM keeps accents", () => {
    const r = wasm.inspect(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, "utf16le")]));
    assert.equal(r.parties[0].name, "Ferretería El Clavo S.A.");
  });
  it("declared ISO-8859-1", () => {
    const latin = xml.replace('encoding="utf-8"', 'encoding="ISO-8859-1"');
    const r = wasm.inspect(Buffer.from(latin, "latin1"));
    assert.equal(r.parties[1].name, "María Pérez Solís");
    assert.equal(r.declaredEncoding, "ISO-8859-1");
  });
  it("base64 with line breaks, pasted as a string", () => {
    const b64 = Buffer.from(xml).toString("base64").replace(/(.{76})/g, "$1\n");
    const r = wasm.inspect(b64);
    assert.equal(r.container, "base64");
    assert.equal(r.lines.length, 2);
  });
  it("string and bytes give the same result", () => {
    assert.deepEqual(wasm.inspect(Buffer.from(xml)), base);
  });
});

describe("broken documents", () => {
  const xml = read("fe_v44_ferreteria.xml").toString("utf8");
  it("a wrong TotalComprobante is a -55 problem at its path", () => {
    const r = wasm.inspect(xml.replace(/<TotalComprobante>[^<]*</, "<TotalComprobante>99999.00000<"));
    assert.equal(r.verdict.badge, "problems");
    const p = r.problems.find((x) => x.code === -55);
    assert.equal(p.path, "/FacturaElectronica/ResumenFactura/TotalComprobante");
    assert.equal(p.source, "amounts");
    assert.ok(r.checks.some((c) => c.rule === "total_comprobante" && !c.ok));
  });
  it("a wrong line tax is -45 on that line", () => {
    const r = wasm.inspect(xml.replace("<Monto>650.00000</Monto>", "<Monto>600.00000</Monto>"));
    const p = r.problems.find((x) => x.code === -45);
    assert.equal(p.path, "/FacturaElectronica/DetalleServicio/LineaDetalle[1]/Impuesto[1]/Monto");
  });
  it("schema: missing required element, bad code, bad length", () => {
    const broken = xml
      .replace(/<CondicionVenta>01<\/CondicionVenta>/, "")
      .replace("<Tipo>01</Tipo>", "<Tipo>99</Tipo>")
      .replace("<CodigoCABYS>4299901000000</CodigoCABYS>", "<CodigoCABYS>42</CodigoCABYS>");
    const r = wasm.inspect(broken);
    const schema = r.problems.filter((p) => p.source === "schema" && p.severity === "error");
    const paths = schema.map((p) => p.path);
    assert.ok(paths.includes("/FacturaElectronica/CondicionVenta"), paths.join("\n"));
    assert.ok(paths.includes("/FacturaElectronica/Receptor/Identificacion/Tipo"), paths.join("\n"));
    assert.ok(paths.some((x) => x.startsWith("/FacturaElectronica/DetalleServicio/LineaDetalle[1]/CodigoCABYS")), paths.join("\n"));
  });
  it("clave that disagrees with the document", () => {
    const r = wasm.inspect(xml.replace("<Numero>3101234567</Numero>", "<Numero>3101999999</Numero>"));
    assert.ok(r.clave.checks.some((c) => c.field === "issuer" && !c.ok));
    assert.ok(r.problems.some((p) => p.source === "clave"));
  });
  it("a 1000-line generated invoice is clean; breaking its total is found", () => {
    const good = wasm.inspect(generateInvoice(1000));
    assert.equal(good.lines.length, 1000);
    assert.deepEqual(good.problems.filter((p) => p.severity === "error"), []);
    assert.equal(good.lineChecksPassed, 1000 * 5); // amount, subtotal, tax, net tax, line total
    const bad = wasm.inspect(generateInvoice(50, { breakTotal: true }));
    assert.deepEqual(bad.problems.filter((p) => p.severity === "error").map((p) => p.code), [-55]);
  });
  it("2000 lines: the v4.4 schema allows 1000 LineaDetalle, the amounts still add up", () => {
    const r = wasm.inspect(generateInvoice(2000));
    assert.equal(r.lines.length, 2000);
    const errors = r.problems.filter((p) => p.severity === "error");
    assert.equal(errors[0].path, "/FacturaElectronica/DetalleServicio/LineaDetalle[1001]");
    assert.ok(errors.every((p) => p.source === "schema"));
    assert.match(errors.at(-1).messageEn, /and \d+ more schema problems/);
    assert.ok(r.checks.every((c) => c.ok));
  });
});

describe("errors are JS Errors with kind, message and field", () => {
  const cases = [
    ["", "empty"],
    ["<FacturaElectronica><Clave>1</Clave>", "xml"],
    ["<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "dtd"],
    ["<Factura/>", "unexpected_root"],
    ["{\"clave\": 1", "json"],
    ["hello there, not a document", "invalid_field"],
  ];
  for (const [input, kind] of cases) {
    it(kind, () => {
      assert.throws(() => wasm.inspect(input), (e) => {
        assert.ok(e instanceof Error);
        assert.equal(e.kind, kind);
        assert.equal(typeof e.message, "string");
        assert.ok("field" in e);
        return true;
      });
    });
  }
  it("wrong argument type", () => {
    assert.throws(() => wasm.inspect(42), (e) => e.kind === "invalid_argument" && e.field === "input");
  });
});
