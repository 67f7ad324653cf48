/**
 * @module report/html/page-script
 * The report page's only script: it reads the embedded report JSON and fills the side panel when a node, a step or
 * a prompt version is clicked, and filters nodes by name. It builds every element with textContent (no innerHTML),
 * so no text from a run can become markup. Plain ES2019, no dependencies, nothing fetched.
 */

/** The page script (a classic script, run after the document). */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var report = JSON.parse(document.getElementById("tg-report").textContent);
  var panel = document.getElementById("tg-panel");
  var byId = new Map(report.nodes.map(function (n) { return [n.id, n]; }));
  var nodeEls = Array.prototype.slice.call(document.querySelectorAll(".tg-node"));
  var edgeEls = Array.prototype.slice.call(document.querySelectorAll(".tg-edge"));
  var elOf = new Map(nodeEls.map(function (g) { return [g.getAttribute("data-id"), g]; }));

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) { for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]); return parent; }
  function textOf(t) { return t.text !== undefined ? t.text : t.preview; }
  function valueBlock(t) {
    var box = el("div");
    add(box, el("pre", "tg-value", textOf(t)));
    if (t.text === undefined) add(box, el("div", "tg-muted", "long value: " + t.chars + " characters, beginning shown; sha256 " + t.sha256.slice(0, 16) + "…"));
    return box;
  }
  function diffBlock(parts) {
    var box = el("div", "tg-diff");
    parts.forEach(function (p) { add(box, el(p.op === "+" ? "ins" : p.op === "-" ? "del" : "span", null, p.text)); });
    return box;
  }
  function where(x) {
    var bits = [];
    if (x.round !== undefined) bits.push("round " + x.round);
    if (x.step !== undefined) bits.push("step " + x.step);
    if (x.sample) {
      if (x.sample.example !== undefined) bits.push("example " + x.sample.example);
      if (x.sample.traceId) bits.push("trace " + x.sample.traceId.slice(0, 12));
    }
    return bits.join(" · ");
  }
  function nodeLink(id) {
    var n = byId.get(id);
    var a = el("a", null, n ? n.name : id);
    a.setAttribute("data-goto", id);
    a.addEventListener("click", function () { show(id); });
    return a;
  }
  function select(id) {
    nodeEls.forEach(function (g) { g.classList.toggle("tg-selected", g.getAttribute("data-id") === id); });
  }

  function show(id) {
    var n = byId.get(id);
    if (!n) return;
    select(id);
    panel.textContent = "";
    panel.setAttribute("data-node", id);
    var kind = el("span", "tg-kind", n.kind);
    var rect = elOf.get(id) && elOf.get(id).querySelector("rect");
    if (rect) kind.style.background = rect.getAttribute("fill");
    var title = add(el("h3"), document.createTextNode(n.name + " "), kind);
    add(panel, title);
    if (n.role) add(panel, el("div", "tg-role", n.role));
    if (n.version) add(panel, el("div", "tg-muted", "version " + n.version));
    add(panel, el("h2", null, "Value"), valueBlock(n.value));

    add(panel, el("h2", null, "Feedback received (" + n.feedback.length + ")"));
    if (n.feedback.length === 0) add(panel, el("div", "tg-muted", "No feedback reached this node."));
    n.feedback.forEach(function (f) {
      var box = el("div", "tg-feedback");
      add(box, el("div", "tg-text", f.text));
      var from = el("div", "tg-from", "from " + (f.from.nodes.length ? "" : f.from.role));
      f.from.nodes.forEach(function (s, i) { if (i) from.appendChild(document.createTextNode(", ")); from.appendChild(nodeLink(s)); });
      var extra = [f.usedAs ? "used as " + f.usedAs : "", f.via ? "via " + f.via : "", where(f)].filter(Boolean).join(" · ");
      if (extra) from.appendChild(document.createTextNode(" — " + extra));
      add(panel, add(box, from));
    });

    add(panel, el("h2", null, "Edits (" + n.edits.length + ")"));
    if (n.edits.length === 0) add(panel, el("div", "tg-muted", "Nothing was proposed for this node."));
    n.edits.forEach(function (e) {
      var box = el("div", "tg-edit");
      var head = el("div");
      add(head, el("span", "tg-verdict " + (e.accepted ? "tg-yes" : "tg-no"), e.accepted ? "accepted" : "not applied"));
      var w = where(e);
      if (w) head.appendChild(document.createTextNode(" · " + w));
      add(box, head, el("div", "tg-muted", e.reason));
      if (e.score) add(box, el("div", null, "score " + e.score.before + " → " + e.score.after));
      if (e.evaluation && e.evaluation.before) add(box, el("div", "tg-muted", "loss before: " + e.evaluation.before));
      if (e.evaluation && e.evaluation.after) add(box, el("div", "tg-muted", "loss after: " + e.evaluation.after));
      add(box, el("div", "tg-muted", e.accepted ? "diff (before → after)" : "diff (before → proposed)"), diffBlock(e.diff));
      e.issues.forEach(function (i) { add(box, el("div", "tg-warnings", i)); });
      add(panel, box);
    });
  }

  function showVersion(paramId, index) {
    var p = report.run.parameters.find(function (x) { return x.id === paramId; });
    var v = p && p.versions[index];
    if (!v) return;
    select(null);
    panel.textContent = "";
    panel.setAttribute("data-node", "");
    add(panel, el("h3", null, p.id + " @ " + v.version));
    add(panel, el("div", "tg-role", [v.accepted ? "accepted" : "rejected candidate", v.parent ? "from " + v.parent : "starting value", where(v), v.score != null ? "score " + v.score : ""].filter(Boolean).join(" · ")));
    add(panel, el("h2", null, "Value"), valueBlock(v.value));
    if (v.diff) add(panel, el("h2", null, "Diff from " + v.parent), diffBlock(v.diff));
  }

  function showStep(step) {
    var s = report.run.steps.find(function (x) { return x.step === step; });
    if (!s) return;
    select(null);
    panel.textContent = "";
    panel.setAttribute("data-node", "");
    add(panel, el("h3", null, "Step " + s.step));
    add(panel, el("div", "tg-role", (s.accepted ? "accepted" : "rejected") + (s.score !== null ? " · score " + s.score : "") + (s.reason ? " · " + s.reason : "")));
    if (s.usage) add(panel, el("div", "tg-muted", s.usage.calls + " calls, " + (s.usage.inputTokens + s.usage.outputTokens) + " tokens"));
    add(panel, el("h2", null, "Proposals (" + s.proposals.length + ")"));
    s.proposals.forEach(function (p) { add(panel, el("div", null, p.parameter + " @ " + p.version), valueBlock(p.value)); });
  }

  nodeEls.forEach(function (g) {
    var id = g.getAttribute("data-id");
    g.addEventListener("click", function () { show(id); });
    g.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(id); } });
  });
  Array.prototype.slice.call(document.querySelectorAll(".tg-version")).forEach(function (g) {
    g.addEventListener("click", function () { showVersion(g.getAttribute("data-param"), Number(g.getAttribute("data-index"))); });
  });
  Array.prototype.slice.call(document.querySelectorAll(".tg-step")).forEach(function (c) {
    c.addEventListener("click", function () { showStep(Number(c.getAttribute("data-step"))); });
  });

  Array.prototype.slice.call(panel.querySelectorAll("[data-goto]")).forEach(function (a) {
    a.addEventListener("click", function () { show(a.getAttribute("data-goto")); });
  });

  var search = document.getElementById("tg-search");
  var count = document.getElementById("tg-count");
  function filter() {
    var q = search.value.trim().toLowerCase();
    var shown = new Set();
    nodeEls.forEach(function (g) {
      var n = byId.get(g.getAttribute("data-id"));
      var hit = !q || n.name.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0;
      g.classList.toggle("tg-dim", !hit);
      g.setAttribute("data-match", hit ? "true" : "false");
      if (hit) shown.add(n.id);
    });
    edgeEls.forEach(function (p) { p.classList.toggle("tg-dim", !!q && !(shown.has(p.getAttribute("data-from")) && shown.has(p.getAttribute("data-to")))); });
    count.textContent = q ? shown.size + " of " + nodeEls.length + " nodes match" : nodeEls.length + " nodes";
    return shown;
  }
  search.addEventListener("input", filter);
  search.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    var shown = filter();
    if (shown.size >= 1) show(shown.values().next().value);
  });
  filter();
})();
`;
