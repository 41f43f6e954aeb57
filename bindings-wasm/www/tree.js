// The raw XML as a collapsible tree (children rendered when a node is opened, so a 2000-line
// invoice stays fast) with a search over element names and values. Classic script:
// defines window.HV.tree.
(function () {
  "use strict";
  const HV = (window.HV = window.HV || {});
  const MAX_HITS = 200;
  let xmlDoc = null;

  function label(node) {
    const name = document.createElement("span");
    name.className = "tag";
    name.textContent = node.nodeName;
    const frag = document.createDocumentFragment();
    frag.append(name);
    for (const a of Array.from(node.attributes || [])) {
      if (a.name.startsWith("xmlns")) continue;
      const s = document.createElement("span");
      s.className = "attr";
      s.textContent = " " + a.name + "=\"" + a.value + "\"";
      frag.append(s);
    }
    return frag;
  }

  function leafText(node) {
    const v = node.textContent.trim();
    return v.length > 300 ? v.slice(0, 300) + "… (" + v.length + ")" : v;
  }

  function render(node, open) {
    const kids = Array.from(node.children);
    if (!kids.length) {
      const div = document.createElement("div");
      div.className = "leaf";
      div.append(label(node), ": ");
      const val = document.createElement("span");
      val.className = "val";
      val.textContent = leafText(node);
      div.append(val);
      div._xml = node;
      return div;
    }
    const d = document.createElement("details");
    const s = document.createElement("summary");
    s.append(label(node));
    const n = document.createElement("span");
    n.className = "attr";
    n.textContent = " (" + kids.length + ")";
    s.append(n);
    d.append(s);
    d._xml = node;
    d.addEventListener("toggle", () => fill(d));
    if (open) d.open = true;
    return d;
  }

  function fill(d) {
    if (!d.open || d._filled) return;
    d._filled = true;
    for (const c of Array.from(d._xml.children)) d.append(render(c, false));
  }

  function pathOf(node) {
    const parts = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentNode) {
      const same = n.parentNode && n.parentNode.children ? Array.from(n.parentNode.children).filter((c) => c.localName === n.localName) : [];
      parts.unshift(n.localName + (same.length > 1 ? "[" + (same.indexOf(n) + 1) + "]" : ""));
    }
    return "/" + parts.join("/");
  }

  /** Opens the ancestors of `node` in the rendered tree and scrolls to it. */
  function reveal(node) {
    const chain = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentNode) chain.unshift(n);
    let holder = document.getElementById("xml-tree");
    let target = null;
    for (const n of chain) {
      target = Array.from(holder.children).find((c) => c._xml === n) || null;
      if (!target) return;
      if (target.tagName === "DETAILS") { target.open = true; fill(target); }
      holder = target;
    }
    if (target) {
      document.querySelectorAll("#xml-tree .found").forEach((e) => e.classList.remove("found"));
      target.classList.add("found");
      (target.tagName === "DETAILS" ? target.firstChild : target).scrollIntoView({ block: "center" });
      const mark = document.createElement("mark");
      void mark;
    }
  }

  function search(query) {
    const hits = document.getElementById("xml-hits");
    hits.replaceChildren();
    const q = query.trim().toLowerCase();
    if (!xmlDoc || !q) return;
    const found = [];
    const walker = xmlDoc.createTreeWalker(xmlDoc.documentElement, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.currentNode; n && found.length <= MAX_HITS; n = walker.nextNode()) {
      const own = n.children.length ? "" : n.textContent;
      if (n.localName.toLowerCase().includes(q) || own.toLowerCase().includes(q)) found.push(n);
    }
    const count = document.createElement("p");
    count.className = "muted";
    count.dataset.testid = "hit-count";
    count.textContent = Math.min(found.length, MAX_HITS) + " " + HV.i18n.t("hits") + (found.length > MAX_HITS ? " " + HV.i18n.t("tooMany") : "");
    hits.append(count);
    for (const n of found.slice(0, MAX_HITS)) {
      const b = document.createElement("button");
      b.type = "button";
      const v = n.children.length ? "" : " = " + leafText(n).slice(0, 80);
      b.textContent = pathOf(n) + v;
      b.addEventListener("click", () => reveal(n));
      hits.append(b);
    }
  }

  HV.tree = {
    /** Shows `xmlText` (or clears the tree when null). */
    show(xmlText) {
      const holder = document.getElementById("xml-tree");
      holder.replaceChildren();
      document.getElementById("xml-hits").replaceChildren();
      document.getElementById("xml-search").value = "";
      xmlDoc = null;
      if (!xmlText) return;
      const parsed = new DOMParser().parseFromString(xmlText, "application/xml");
      if (parsed.getElementsByTagName("parsererror").length) return;
      xmlDoc = parsed;
      const root = render(xmlDoc.documentElement, true);
      holder.append(root);
      if (root.tagName === "DETAILS") fill(root);
    },
    search,
  };
})();
