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
  }

  start().catch((e) => {
    document.body.dataset.state = "error";
    $("loading").textContent = "WebAssembly: " + (e && e.message ? e.message : e);
  });
})();
