// Browser tests of the viewer in Debian's Chromium, driven by playwright-core: the page is
// served from 127.0.0.1, every kind of sample is loaded through the file input and by paste,
// the rendered fields are checked, and no request may leave the page's own files.
// Screenshots go to artifacts/browser/ (gitignored).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { chromium } from "playwright-core";

import { OWN_FIXTURES, REPO, generateInvoice, requireFixtures, sharedFixtures } from "../js/helpers.mjs";
import { serve } from "./server.mjs";

const WWW = path.join(REPO, "bindings-wasm", "www");
const ARTIFACTS = path.join(REPO, "artifacts", "browser");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run",
];
const input = (name) => path.join(OWN_FIXTURES, "inputs", name);

let browser, server, context, page;
const seen = [];

async function waitDone() {
  await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset.state));
  return page.evaluate(() => document.body.dataset.state);
}

async function loadFile(file) {
  await page.evaluate(() => { document.body.dataset.state = "ready"; });
  await page.setInputFiles("#file", file);
  return waitDone();
}

async function paste(text) {
  await page.evaluate(() => { document.body.dataset.state = "ready"; });
  await page.fill("#paste", text);
  await page.click("#go");
  return waitDone();
}

const fact = (id) => page.textContent(`#facts [data-testid="${id}"]`);
const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(WWW);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "es-CR" });
  page = await context.newPage();
  page.on("request", (r) => seen.push(r.url()));
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(server.origin + "/");
  await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 20000 });
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe("viewer page", () => {
  it("says nothing leaves the browser and forbids connections", async () => {
    assert.match(await page.textContent("#privacy"), /Nada sale de su navegador/);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.match(csp, /connect-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  });

  it("invoice v4.4 through the file input: summary, parties, lines, totals", async () => {
    assert.equal(await loadFile(input("fe_v44_ferreteria.xml")), "done");
    assert.equal(await page.getAttribute("#badge", "data-badge"), "ok");
    assert.equal(await fact("kind"), "Comprobante");
    assert.equal(await fact("version"), "4.4");
    assert.equal(await fact("clave"), "50615092500310123456700100001010000000451123456789");
    assert.match(await fact("total"), /CRC/);
    await page.click('[data-tab="parties"]');
    assert.equal(await page.textContent('[data-testid="emisor-name"]'), "Ferretería El Clavo S.A.");
    assert.equal(await page.textContent('[data-testid="receptor-id"]'), "109870654");
    await page.click('[data-tab="lines"]');
    assert.equal(await page.locator('[data-testid="lines-table"] tbody tr').count(), 2);
    await page.click('[data-tab="totals"]');
    assert.ok((await page.locator('[data-testid="checks-table"] .bad').count()) === 0);
    await shot("invoice-desktop");
  });

  it("rejected MensajeHacienda by paste: badge, answer lines, hint", async () => {
    assert.equal(await paste(readFileSync(input("mh_v44_rechazado_montos.xml"), "utf8")), "done");
    assert.equal(await page.getAttribute("#badge", "data-badge"), "rejected");
    assert.equal(await fact("kind"), "Mensaje de Hacienda");
    await page.click('[data-tab="answer"]');
    const codes = await page.locator('[data-testid="answer-lines"] tbody tr td:first-child').allTextContents();
    assert.deepEqual(codes, ["-37", "-45", "-54"]);
    assert.match(await page.textContent("#verdict-todo"), /\S/);
    await shot("answer-rejected");
  });

  it("status JSON with respuesta-xml by file, and a pending status by paste", async () => {
    assert.equal(await loadFile(input("status_rechazado_montos.json")), "done");
    assert.equal(await fact("kind"), "Estado (JSON)");
    assert.equal(await fact("state"), "rechazado");
    assert.equal(await page.getAttribute("#badge", "data-badge"), "rejected");
    assert.equal(await paste(readFileSync(input("status_procesando.json"), "utf8")), "done");
    assert.equal(await page.getAttribute("#badge", "data-badge"), "pending");
  });

  it("MensajeReceptor by file, then as base64 by paste", async () => {
    assert.equal(await loadFile(input("mr_v44_parcial.xml")), "done");
    assert.equal(await fact("kind"), "Mensaje receptor");
    assert.equal(await page.getAttribute("#badge", "data-badge"), "partially_accepted");
    const b64 = readFileSync(input("mr_v44_parcial.xml")).toString("base64");
    assert.equal(await paste(b64), "done");
    assert.equal(await fact("container"), "base64");
    assert.equal(await fact("kind"), "Mensaje receptor");
  });

  it("a broken document opens on the problems tab with paths and codes", async () => {
    const xml = readFileSync(input("fe_v44_ferreteria.xml"), "utf8")
      .replace(/<TotalComprobante>[^<]*</, "<TotalComprobante>1.00000<")
      .replace(/<CondicionVenta>01<\/CondicionVenta>/, "");
    assert.equal(await paste(xml), "done");
    assert.equal(await page.getAttribute("#badge", "data-badge"), "problems");
    assert.equal(await page.getAttribute('[data-tab="problems"]', "aria-selected"), "true");
    const table = await page.textContent('[data-testid="problems-table"]');
    assert.match(table, /\/FacturaElectronica\/ResumenFactura\/TotalComprobante/);
    assert.match(table, /-55/);
    assert.match(table, /\/FacturaElectronica\/CondicionVenta/);
    assert.match(await page.textContent("#problem-count"), /^[1-9]/);
    await shot("problems-desktop");
  });

  it("a file dropped on the drop zone, UTF-16 with a BOM", async () => {
    const xml = readFileSync(input("fe_v44_ferreteria.xml"), "utf8");
    const utf16 = [...Buffer.from([0xff, 0xfe]), ...Buffer.from(xml, "utf16le")];
    await page.evaluate(() => { document.body.dataset.state = "ready"; });
    const dt = await page.evaluateHandle((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], "factura-utf16.xml", { type: "text/xml" }));
      return transfer;
    }, utf16);
    await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
    assert.equal(await waitDone(), "done");
    assert.equal(await fact("clave"), "50615092500310123456700100001010000000451123456789");
    await page.click('[data-tab="parties"]');
    assert.equal(await page.textContent('[data-testid="receptor-name"]'), "María Pérez Solís");
  });

  it("unreadable input shows the error card with its kind", async () => {
    assert.equal(await paste("<FacturaElectronica><Clave>1"), "error");
    assert.equal(await page.isVisible("#error"), true);
    assert.equal(await page.textContent("#error-kind"), "xml");
  });

  it("lines are paginated; the XML tree searches and reveals", async () => {
    assert.equal(await paste(generateInvoice(120)), "done");
    await page.click('[data-tab="lines"]');
    assert.match(await page.textContent('[data-testid="line-page"]'), /1 \/ 3/);
    assert.equal(await page.locator('[data-testid="lines-table"] tbody tr').count(), 50);
    await page.click('[data-panel="lines"] .pager button:last-child');
    assert.match(await page.textContent('[data-testid="line-page"]'), /2 \/ 3/);
    assert.equal(await page.textContent('[data-testid="lines-table"] tbody tr:first-child td:first-child'), "51");
    await page.click('[data-tab="xml"]');
    await page.fill("#xml-search", "TotalComprobante");
    await page.waitForSelector('[data-testid="hit-count"]');
    assert.match(await page.textContent('[data-testid="hit-count"]'), /^1 /);
    await page.click("#xml-hits button");
    assert.equal(await page.locator("#xml-tree .found").count(), 1);
    assert.match(await page.textContent("#xml-tree .found"), /TotalComprobante/);
    await shot("xml-tree");
  });

  it("English labels", async () => {
    await page.click("#lang-en");
    assert.equal(await page.textContent("h1"), "E-invoice viewer (Costa Rica)");
    assert.match(await page.textContent("#privacy"), /Nothing leaves your browser/);
    assert.equal(await page.textContent('[data-tab="parties"]'), "Parties");
    await page.click("#lang-es");
  });

  it("shared real samples of every kind, by file input (signature facts shown)", async (t) => {
    const root = sharedFixtures();
    if (!root) {
      if (requireFixtures) assert.fail("HACIENDA_REQUIRE_FIXTURES=1 but shared/fixtures/hacienda was not found");
      t.skip("shared/fixtures/hacienda not found");
      return;
    }
    const samples = [
      ["documents/fe_v43_signed_50628042100040216065300100001010000000142132671809.xml", "Comprobante", "4.3", true],
      ["documents/te_v43_crlibre_Tiquete_Electronico_v4.3.xml", "Comprobante", "4.3", true],
      ["documents/nc_v42_unsigned_notaCredito.xml", "Comprobante", "4.2", false],
      ["documents/fe_v44_facturacr_commonExpectedXml.xml", "Comprobante", "4.4", false],
      ["documents/mr_v42_signed_00100001050000000010.xml", "Mensaje receptor", "4.2", true],
      ["responses/mh_v42_sandbox_accept_with_-37_note_Respuesta.xml", "Mensaje de Hacienda", "4.2", true],
    ];
    for (const [rel, kind, version, signed] of samples) {
      const file = path.join(root, rel);
      assert.equal(await loadFile(file), "done", rel);
      assert.equal(await fact("kind"), kind, rel);
      assert.equal(await fact("version"), version, rel);
      const clave = /<(?:\w+:)?Clave>\s*(\d+)/.exec(readFileSync(file, "utf8"))[1];
      assert.equal(await fact("clave"), clave, rel);
      await page.click('[data-tab="signature"]');
      if (signed) assert.match(await page.textContent('[data-testid="cert-subject"]'), /CN=/, rel);
      else assert.equal(await page.isVisible('[data-testid="no-signature"]'), true, rel);
    }
    await shot("signature");
  });

  it("phone width: no horizontal scrolling, summary readable", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await loadFile(input("fe_v44_ferreteria.xml")), "done");
    await page.click('[data-tab="lines"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot("invoice-phone");
    await page.click('[data-tab="problems"]');
    await shot("problems-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("made no request beyond its own files", () => {
    const own = new Set(["/", "/style.css", "/pkg/hacienda_wasm.js", "/pkg/hacienda_wasm_inline.js", "/i18n.js", "/tree.js", "/render.js", "/app.js"]);
    for (const url of seen) {
      if (url.startsWith("data:") || url.startsWith("blob:")) continue;
      const u = new URL(url);
      assert.equal(u.origin, server.origin, url);
      assert.ok(own.has(u.pathname), `unexpected request ${url}`);
    }
    assert.ok(seen.length >= own.size);
    writeFileSync(path.join(ARTIFACTS, "requests.txt"), seen.join("\n") + "\n");
  });
});

describe("isolation", () => {
  it("the page cannot connect anywhere (CSP blocks fetch)", async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const external = [];
    p.on("request", (r) => { if (!r.url().startsWith(server.origin)) external.push(r.url()); });
    await p.goto(server.origin + "/");
    await p.waitForFunction(() => document.body.dataset.state === "ready");
    const result = await p.evaluate(() => fetch("http://127.0.0.1:9/leak").then(() => "sent", (e) => "blocked: " + e.name));
    assert.match(result, /^blocked/);
    assert.deepEqual(external, []);
    await ctx.close();
  });

  it("works opened from a folder (file://) without a server", async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto("file://" + path.join(WWW, "index.html"));
    await p.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout: 20000 });
    assert.equal(await p.evaluate(() => document.body.dataset.state), "ready");
    await p.fill("#paste", readFileSync(input("mh_v43_aceptado_nota_16.xml"), "utf8"));
    await p.click("#go");
    await p.waitForFunction(() => document.body.dataset.state === "done");
    assert.equal(await p.getAttribute("#badge", "data-badge"), "accepted");
    await ctx.close();
  });
});
