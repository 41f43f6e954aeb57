// Renders an Inspection into the summary card and the tabs. DOM built with textContent only:
// nothing from the input is ever parsed as HTML. Classic script: defines window.HV.render.
(function () {
  "use strict";
  const HV = (window.HV = window.HV || {});
  const t = (k) => HV.i18n.t(k);
  const PAGE = 50;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "on") for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }
  const show = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));

  function facts(pairs) {
    const dl = el("dl", { class: "facts" });
    for (const [k, v, testid] of pairs) {
      if (v === null || v === undefined || v === "") continue;
      dl.append(el("dt", {}, t(k)), el("dd", { "data-testid": testid || k }, v));
    }
    return dl;
  }

  function table(headers, rows, opts) {
    const o = opts || {};
    const thead = el("thead", {}, el("tr", {}, headers.map(([k, num]) => el("th", { class: num ? "num" : null }, t(k)))));
    const tbody = el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c, i) =>
      el("td", { class: headers[i][1] ? "num" : null, "data-label": t(headers[i][0]) }, c instanceof Node ? c : show(c))))));
    return el("table", { class: "responsive", "data-testid": o.testid }, thead, tbody);
  }

  function summary(r) {
    const v = r.verdict;
    const badge = document.getElementById("badge");
    badge.className = "badge " + v.badge;
    badge.textContent = t("badge_" + v.badge);
    badge.dataset.badge = v.badge;
    document.getElementById("verdict-title").textContent = HV.i18n.pick(v, "title");
    document.getElementById("verdict-what").textContent = HV.i18n.pick(v, "what");
    document.getElementById("verdict-todo").textContent = HV.i18n.pick(v, "todo");
    const total = (r.totals.find((a) => a.name === "TotalComprobante" || a.name === "TotalFactura") || {}).value;
    const old = document.getElementById("facts");
    const dl = facts([
      ["kind", t(r.kind), "kind"],
      ["docType", r.documentName, "document-name"],
      ["version", r.schemaVersion, "version"],
      ["container", t(r.container), "container"],
      ["clave", r.clave && r.clave.digits, "clave"],
      ["consecutivo", r.consecutivo, "consecutivo"],
      ["issuedAt", r.issuedAt, "issued-at"],
      ["state", r.status && r.status.state, "state"],
      ["total", total && (total + (r.currency ? " " + r.currency : "")), "total"],
    ]);
    dl.id = "facts";
    old.replaceWith(dl);
    const shown = r.problems.filter((p) => p.severity !== "info").length;
    const errors = r.problems.filter((p) => p.severity === "error").length;
    const count = document.getElementById("problem-count");
    count.textContent = String(shown);
    count.className = "count" + (errors ? "" : shown ? " warn" : " zero");
  }

  function clave(r) {
    const c = r.clave;
    if (!c) return [el("p", { class: "muted" }, "—")];
    const parts = c.valid
      ? facts([
          ["clave", el("code", {}, c.digits)], ["country", c.country], ["date", c.date, "clave-date"],
          ["issuer", c.issuerId, "clave-issuer"], ["branch", c.branch], ["terminal", c.terminal],
          ["docType", c.documentTypeCode + " " + (c.documentType || "")], ["number", c.number],
          ["consecutivo", c.consecutivo], ["situation", c.situation], ["securityCode", c.securityCode],
        ])
      : el("p", { class: "bad" }, c.digits + " — " + c.error);
    const out = [parts];
    if (c.checks.length) {
      out.push(el("h3", {}, t("checks")));
      out.push(table([["field"], ["inClave"], ["inDocument"], ["agrees"]],
        c.checks.map((k) => [k.field, k.inClave, k.inDocument, el("span", { class: k.ok ? "ok" : "bad" }, k.ok ? "✔" : "✘")]),
        { testid: "clave-checks" }));
    }
    const extra = facts([
      ["saleCondition", r.saleCondition], ["payment", r.paymentMethods.join(", ")],
      ["currency", r.currency], ["exchangeRate", r.exchangeRate],
      ["activity", r.activityCodes.map((a) => a.role + ": " + a.code).join(", ")],
    ]);
    out.push(extra);
    if (r.references.length) {
      out.push(el("h3", {}, t("references")));
      out.push(table([["docType"], ["number"], ["date"], ["code"], ["reason"]],
        r.references.map((x) => [x.documentType, x.number, x.date, x.code, x.reason])));
    }
    return out;
  }

  function parties(r) {
    if (!r.parties.length) return [el("p", { class: "muted" }, "—")];
    return r.parties.map((p) => el("div", { "data-testid": "party-" + p.role },
      el("h3", {}, t(p.role === "emisor" ? "issuer" : "receiver")),
      facts([
        ["name", p.name, p.role + "-name"], ["idType", [p.idType, p.idTypeName].filter(Boolean).join(" ")],
        ["number", p.idNumber, p.role + "-id"], ["foreignId", p.foreignId], ["commercialName", p.commercialName],
        ["email", p.emails.join(", ")], ["phone", p.phone], ["location", p.location],
      ])));
  }

  function lines(r, panel) {
    if (!r.lines.length) return [el("p", { class: "muted" }, t("noLines"))];
    let page = 0;
    const pages = Math.ceil(r.lines.length / PAGE);
    const holder = el("div", {});
    const label = el("span", { "data-testid": "line-page" });
    const prev = el("button", { type: "button", on: { click: () => go(page - 1) } }, t("prev"));
    const next = el("button", { type: "button", on: { click: () => go(page + 1) } }, t("next"));
    function go(p) {
      page = Math.max(0, Math.min(pages - 1, p));
      const slice = r.lines.slice(page * PAGE, page * PAGE + PAGE);
      holder.replaceChildren(table(
        [["line", 1], ["cabys"], ["description"], ["quantity", 1], ["unit"], ["unitPrice", 1], ["discount", 1],
          ["subtotal", 1], ["tax"], ["taxNet", 1], ["lineTotal", 1]],
        slice.map((l) => [l.number, l.cabys, l.description, l.quantity, l.unit, l.unitPrice, l.discount, l.subtotal,
          l.taxes.map((x) => [x.code, x.rateCode, x.rate && x.rate + "%", x.amount, x.exoneration ? "(exo)" : ""].filter(Boolean).join(" ")).join("; "),
          l.taxNet, l.lineTotal]),
        { testid: "lines-table" }));
      label.textContent = t("page") + " " + (page + 1) + " / " + pages + " · " + r.lines.length + " " + t("lines").toLowerCase();
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    go(0);
    void panel;
    return [el("div", { class: "pager" }, prev, label, next), holder];
  }

  function totals(r) {
    const out = [];
    if (r.taxes.length) {
      out.push(el("h3", {}, t("taxes")));
      out.push(table([["code"], ["rateCode"], ["rate", 1], ["lines", 1], ["base", 1], ["amount", 1], ["exonerated", 1], ["declared", 1]],
        r.taxes.map((x) => [x.code, x.rateCode, x.rate, x.lines, x.base, x.amount, x.exonerated, x.declared]), { testid: "taxes-table" }));
    }
    if (r.exonerations.length) {
      out.push(el("h3", {}, t("exonerations")));
      out.push(table([["line", 1], ["docType"], ["number"], ["name"], ["date"], ["rate", 1], ["amount", 1]],
        r.exonerations.map((x) => [x.line, x.documentType, x.documentNumber, x.institution, x.date, x.percent, x.amount])));
    }
    if (r.totals.length) {
      out.push(el("h3", {}, t("totals")));
      out.push(table([["field"], ["amount", 1]], r.totals.map((a) => [a.name, a.value]), { testid: "totals-table" }));
    }
    if (r.checks.length) {
      out.push(el("h3", {}, t("arithmetic")));
      out.push(table([["rule"], ["formula"], ["expected", 1], ["found", 1], ["agrees"]],
        r.checks.map((c) => [el("span", { title: c.path }, c.rule + (c.code ? " (" + c.code + ")" : "")), c.formula, c.expected, c.found,
          el("span", { class: c.ok ? "ok" : "bad" }, c.ok ? "✔" : "✘")]), { testid: "checks-table" }));
      out.push(el("p", { class: "muted" }, r.lineChecksPassed + " " + t("linePassed")));
    }
    return out.length ? out : [el("p", { class: "muted" }, "—")];
  }

  function classification(c) {
    if (!c) return null;
    return facts([["category", c.category], ["rule", c.rule], ["nextStep", c.nextStep],
      ["retryable", t(c.retryable ? "yes" : "no")], ["reason", c.reason], ["todo", HV.i18n.pick(c, "hint")]]);
  }

  function answer(r) {
    const out = [];
    const s = r.status;
    if (s) {
      out.push(facts([["state", s.state, "status-state"], ["clave", s.clave], ["date", s.fecha], ["reason", s.responseError]]));
      if (!r.answer && s.classification) out.push(classification(s.classification));
    }
    const a = r.answer;
    if (!a) {
      if (!s) out.push(el("p", { class: "muted" }, t("noAnswer")));
      return out;
    }
    out.push(facts([["kind", t(a.messageKind === "mensaje_hacienda" ? "hacienda_message" : "receiver_message")],
      ["decision", a.decision + " (" + a.decisionCode + ")", "decision"], ["estadoMensaje", a.estadoMensaje],
      ["sandbox", a.sandbox ? t("yes") : null], ["consecutivo", a.consecutivoReceptor],
      ["total", a.totalInvoice], ["tax", a.totalTax]]));
    if (a.lines.length) {
      out.push(table([["code", 1], ["severity"], ["category"], ["meaning"], ["message"], ["row", 1], ["column", 1]],
        a.lines.map((l) => [l.code, el("span", { class: "sev " + l.severity }, t(l.severity)), l.severity === "error" ? l.category : "—",
          HV.i18n.lang === "en" ? l.meaningEn : l.meaningEs, l.message, l.row, l.column]), { testid: "answer-lines" }));
    }
    if (a.notes.length) out.push(el("h3", {}, t("notes")), el("ul", {}, a.notes.map((n) => el("li", {}, n))));
    if (a.classification) out.push(el("h3", {}, t("classification")), classification(a.classification));
    return out;
  }

  function signature(r) {
    const s = r.signature;
    if (!s) return [el("p", { class: "muted", "data-testid": "no-signature" }, t("noSignature"))];
    return [facts([
      ["signingTime", s.signingTime, "signing-time"], ["subject", s.subject, "cert-subject"],
      ["subjectSerial", s.subjectSerialNumber], ["certIssuer", s.issuer, "cert-issuer"], ["serial", s.serial, "cert-serial"],
      ["validFrom", s.validFrom], ["validTo", s.validTo], ["policy", s.policyIdentifier],
      ["signatureAlgorithm", s.signatureAlgorithm], ["canonicalization", s.canonicalization],
      ["digests", s.digestAlgorithms.join(", ")], ["referencesCount", s.references], ["reason", s.certificateError],
    ])];
  }

  function problems(r) {
    const out = [el("p", { class: "muted" }, t(r.schemaChecked ? "schemaChecked" : "schemaNotChecked"))];
    if (!r.problems.length) {
      out.push(el("p", { class: "ok", "data-testid": "no-problems" }, t("noProblems")));
      return out;
    }
    out.push(table([["severity"], ["source"], ["code", 1], ["message"], ["path"]],
      r.problems.map((p) => [el("span", { class: "sev " + p.severity }, t(p.severity)), t(p.source), p.code,
        HV.i18n.pick(p, "message"), el("code", {}, p.path || "")]), { testid: "problems-table" }));
    return out;
  }

  HV.render = { summary, el, panels: { clave, parties, lines, totals, answer, signature, problems } };
})();
