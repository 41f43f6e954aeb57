// The viewer: loads the WebAssembly inspector (bytes inlined, so it works from file:// and
// with connect-src 'none'), reads a dropped, picked or pasted input, and renders the result.
(function () {
  "use strict";
  const HV = window.HV;
  const $ = (id) => document.getElementById(id);
  let current = null;
  let activeTab = "clave";
  let xmlShown = false;

  function b64ToBytes(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function selectTab(name) {
    activeTab = name;
    document.querySelectorAll(".tabs button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
    document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.dataset.panel !== name; });
    if (name === "xml" && current && !xmlShown) {
      HV.tree.show(current.xml);
      xmlShown = true;
    }
  }

  function renderAll() {
    if (!current) return;
    HV.render.summary(current);
    for (const [name, fn] of Object.entries(HV.render.panels)) {
      const panel = document.querySelector('[data-panel="' + name + '"]');
      panel.replaceChildren(...fn(current, panel));
    }
    selectTab(activeTab);
  }

  function run(input) {
    const started = performance.now();
    $("error").hidden = true;
    try {
      current = wasm_bindgen.inspect(input);
    } catch (e) {
      current = null;
      $("result").hidden = true;
      $("error").hidden = false;
      $("error-message").textContent = e && e.message ? e.message : String(e);
      $("error-kind").textContent = (e && e.kind) || "unknown";
      document.body.dataset.state = "error";
      return;
    }
    xmlShown = false;
    activeTab = current.problems.some((p) => p.severity === "error") ? "problems" : "clave";
    $("result").hidden = false;
    renderAll();
    document.body.dataset.inspectMs = String(Math.round(performance.now() - started));
    document.body.dataset.state = "done";
  }

  function readFile(file) {
    if (!file) return;
    $("paste").value = "";
    file.arrayBuffer().then((buf) => run(new Uint8Array(buf)));
  }

  async function start() {
    HV.i18n.apply();
    /* global wasm_bindgen: the classic-script glue of wasm-bindgen --target no-modules */
    await wasm_bindgen({ module_or_path: b64ToBytes(window.HACIENDA_WASM_BASE64) });
    $("version").textContent = "v" + wasm_bindgen.version();
    $("loading").hidden = true;
    $("lang-es").addEventListener("click", () => { HV.i18n.set("es"); renderAll(); });
    $("lang-en").addEventListener("click", () => { HV.i18n.set("en"); renderAll(); });
    $("file").addEventListener("change", (e) => readFile(e.target.files[0]));
    $("go").addEventListener("click", () => { $("file").value = ""; run($("paste").value); });
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      readFile(e.dataTransfer.files[0]);
    });
    document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => selectTab(b.dataset.tab)));
    let timer = 0;
    $("xml-search").addEventListener("input", (e) => {
      clearTimeout(timer);
      timer = setTimeout(() => HV.tree.search(e.target.value), 150);
    });
    document.body.dataset.state = "ready";
    setTimeout(warmUp, 0);
  }

  // V8 compiles WebAssembly lazily, function by function, with a baseline compiler first; the
  // first inspection would pay for that. Inspect a small built-in invoice a few times right
  // after loading so that the first real file is fast.
  function warmUp() {
    const line = (i) => "<LineaDetalle><NumeroLinea>" + i + "</NumeroLinea><CodigoCABYS>4299901000000</CodigoCABYS>" +
      "<Cantidad>2</Cantidad><UnidadMedida>Unid</UnidadMedida><Detalle>x</Detalle><PrecioUnitario>10.00</PrecioUnitario>" +
      "<MontoTotal>20.00</MontoTotal><SubTotal>20.00</SubTotal><BaseImponible>20.00</BaseImponible><Impuesto><Codigo>01</Codigo>" +
      "<CodigoTarifaIVA>08</CodigoTarifaIVA><Tarifa>13</Tarifa><Monto>2.60</Monto></Impuesto><ImpuestoNeto>2.60</ImpuestoNeto>" +
      "<MontoTotalLinea>22.60</MontoTotalLinea></LineaDetalle>";
    const lines = Array.from({ length: 200 }, (_, i) => line(i + 1)).join("");
    const xml = '<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica">' +
      "<Clave>50615092500310123456700100001010000000451123456789</Clave><NumeroConsecutivo>00100001010000000451</NumeroConsecutivo>" +
      "<FechaEmision>2025-09-15T10:05:33-06:00</FechaEmision><Emisor><Nombre>x</Nombre><Identificacion><Tipo>02</Tipo>" +
      "<Numero>3101234567</Numero></Identificacion></Emisor><CondicionVenta>01</CondicionVenta><DetalleServicio>" + lines +
      "</DetalleServicio><ResumenFactura><TotalVenta>4000.00</TotalVenta><TotalVentaNeta>4000.00</TotalVentaNeta>" +
      "<TotalImpuesto>520.00</TotalImpuesto><TotalComprobante>4520.00</TotalComprobante></ResumenFactura></FacturaElectronica>";
    const bytes = new TextEncoder().encode(xml);
    for (let i = 0; i < 8; i++) wasm_bindgen.inspect(i % 2 ? bytes : xml);
    document.body.dataset.warm = "1";
  }

  start().catch((e) => {
    document.body.dataset.state = "error";
    $("loading").textContent = "WebAssembly: " + (e && e.message ? e.message : e);
  });
})();
