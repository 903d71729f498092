// The founder dashboard's page: fetches /orgs/{id}/figures and draws it as SVG, then again every
// data-refresh-seconds. No library and no CDN: the machines it runs on may have no internet.
// Amounts arrive as {minor, currency, text}: charts plot integer minor units, labels show the
// server's text, so no figure on screen is ever the product of floating-point money arithmetic.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const body = document.body;
  const organization = body.dataset.organization;
  const refreshSeconds = Number(body.dataset.refreshSeconds) || 30;
  const currencySelect = document.getElementById("currency");
  const daysSelect = document.getElementById("days");
  const COLORS = { revenue: "#2563eb", llmCost: "#dc6803", grossMargin: "#079455", mrr: "#7a5af8" };

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function html(name, text, className) {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // A line chart of one or more series over the same labels (days or months).
  function lineChart(container, labels, series) {
    const width = 900, height = 240, left = 80, right = 16, top = 12, bottom = 28;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
    const values = series.flatMap(s => s.points.map(p => p.minor));
    const max = Math.max(0, ...values), min = Math.min(0, ...values);
    const span = max - min || 1;
    const x = i => left + (labels.length <= 1 ? (width - left - right) / 2 : i * (width - left - right) / (labels.length - 1));
    const y = v => top + (max - v) * (height - top - bottom) / span;
    svg.appendChild(el("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: "#c4c9d2" }));
    // Axis labels: the largest and smallest amounts plotted, as the server wrote them.
    const all = series.flatMap(s => s.points);
    const highest = all.reduce((a, p) => (a === null || p.minor > a.minor ? p : a), null);
    const lowest = all.reduce((a, p) => (a === null || p.minor < a.minor ? p : a), null);
    if (highest) svg.appendChild(el("text", { x: left - 6, y: y(highest.minor) + 4, "text-anchor": "end", class: "axis-max" }, highest.text));
    if (lowest && lowest.minor < 0) svg.appendChild(el("text", { x: left - 6, y: y(lowest.minor) + 4, "text-anchor": "end", class: "axis-min" }, lowest.text));
    if (labels.length) {
      svg.appendChild(el("text", { x: x(0), y: height - 8, "text-anchor": "start" }, labels[0]));
      if (labels.length > 1) svg.appendChild(el("text", { x: x(labels.length - 1), y: height - 8, "text-anchor": "end" }, labels[labels.length - 1]));
    }
    for (const s of series) {
      const points = s.points.map(p => ({ ...p, index: labels.indexOf(p.label) }));
      const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.index).toFixed(1)},${y(p.minor).toFixed(1)}`).join(" ");
      svg.appendChild(el("path", { d: path, fill: "none", stroke: s.color, "stroke-width": 2, class: "series", "data-series": s.name }));
      for (const p of points) {
        const dot = el("circle", { cx: x(p.index).toFixed(1), cy: y(p.minor).toFixed(1), r: 3, fill: s.color, class: "point",
          "data-series": s.name, "data-period": p.label, "data-minor": String(p.minor), "data-text": p.text });
        dot.appendChild(el("title", {}, `${s.title} ${p.label}: ${p.text}`));
        svg.appendChild(dot);
      }
    }
    const legend = html("div", undefined, "legend");
    for (const s of series) {
      const item = html("span", s.title);
      item.style.setProperty("--color", s.color);
      legend.appendChild(item);
    }
    container.replaceChildren(svg, legend);
    if (!labels.length) container.replaceChildren(html("p", "no data in this window", "empty"));
  }

  // Horizontal bars, one per row, signed (a negative margin goes left of zero).
  function barChart(container, rows) {
    const width = 480, rowHeight = 22, left = 190, right = 90;
    const height = rows.length * rowHeight + 8;
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
    const max = Math.max(0, ...rows.map(r => r.amount.minor)), min = Math.min(0, ...rows.map(r => r.amount.minor));
    const span = max - min || 1;
    const x = v => left + (v - min) * (width - left - right) / span;
    rows.forEach((r, i) => {
      const y0 = 4 + i * rowHeight;
      const start = Math.min(x(0), x(r.amount.minor)), end = Math.max(x(0), x(r.amount.minor));
      svg.appendChild(el("text", { x: left - 6, y: y0 + 14, "text-anchor": "end" }, r.label));
      const bar = el("rect", { x: start.toFixed(1), y: y0 + 3, width: Math.max(1, end - start).toFixed(1), height: rowHeight - 8,
        fill: r.amount.minor < 0 ? "#d92d20" : r.color, class: "bar", "data-label": r.label, "data-minor": String(r.amount.minor),
        "data-text": r.amount.text });
      bar.appendChild(el("title", {}, `${r.label}: ${r.amount.text}`));
      svg.appendChild(bar);
      svg.appendChild(el("text", { x: width - right + 6, y: y0 + 14 }, r.amount.text));
    });
    container.replaceChildren(rows.length ? svg : html("p", "no data in this window", "empty"));
  }

  function fillTable(id, rows, cells) {
    const tbody = document.querySelector(`#${id} tbody`);
    tbody.replaceChildren(...rows.map(row => {
      const tr = document.createElement("tr");
      for (const cell of cells(row)) {
        const td = html("td", typeof cell === "string" ? cell : cell.text);
        if (typeof cell !== "string" && cell.minor < 0) td.className = "negative";
        tr.appendChild(td);
      }
      return tr;
    }));
  }

  function marginCells(m) {
    return [m.label, m.revenue, m.llmCost, m.grossMargin, m.marginPercent || "–"];
  }

  function customerCells(m) {
    return [m.label, m.revenue, m.llmCost, m.fees, m.grossMargin, m.marginPercent || "–"];
  }

  function age(seconds) {
    if (seconds < 120) return `${seconds} s`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86400)} days`;
  }

  function render(f) {
    const options = f.currencies.length ? f.currencies : [f.currency];
    if (currencySelect.options.length !== options.length) {
      currencySelect.replaceChildren(...options.map(c => { const o = html("option", c.toUpperCase()); o.value = c; return o; }));
    }
    currencySelect.value = f.currency;
    document.getElementById("total-revenue").textContent = f.totals.revenue.text;
    document.getElementById("total-llm-cost").textContent = f.totals.llmCost.text;
    document.getElementById("total-fees").textContent = f.totals.fees.text;
    document.getElementById("total-gross-margin").textContent = f.totals.grossMargin.text;
    document.getElementById("total-margin-percent").textContent = f.totals.marginPercent || "–";
    document.getElementById("current-mrr").textContent = f.mrr.length ? f.mrr[f.mrr.length - 1].mrr.text : "–";

    const days = f.daily.map(d => d.day);
    lineChart(document.getElementById("chart-daily"), days, [
      { name: "revenue", title: "Revenue", color: COLORS.revenue, points: f.daily.map(d => ({ label: d.day, ...d.revenue })) },
      { name: "llm-cost", title: "LLM cost", color: COLORS.llmCost, points: f.daily.map(d => ({ label: d.day, ...d.llmCost })) },
      { name: "gross-margin", title: "Gross margin", color: COLORS.grossMargin, points: f.daily.map(d => ({ label: d.day, ...d.grossMargin })) },
    ]);
    const months = f.mrr.map(m => m.month.substring(0, 7));
    lineChart(document.getElementById("chart-mrr"), months, [
      { name: "mrr", title: "MRR", color: COLORS.mrr, points: f.mrr.map(m => ({ label: m.month.substring(0, 7), ...m.mrr })) },
    ]);
    fillTable("top-customers", f.topCustomers, customerCells);
    fillTable("bottom-customers", f.bottomCustomers, customerCells);
    barChart(document.getElementById("chart-features"), f.features.map(m => ({ label: m.label, amount: m.grossMargin, color: COLORS.grossMargin })));
    fillTable("features", f.features, marginCells);
    barChart(document.getElementById("chart-models"), f.models.map(m => ({ label: `${m.vendor}/${m.model}`, amount: m.cost, color: COLORS.llmCost })));
    fillTable("models", f.models, m => [`${m.vendor}/${m.model}`, String(m.calls), m.cost, m.costShare || "–"]);

    const freshness = document.getElementById("freshness");
    if (f.freshness.ageSeconds !== null && f.freshness.ageSeconds !== undefined) {
      freshness.textContent = `freshest data ${age(f.freshness.ageSeconds)} old`;
      freshness.title = `newest event accepted at ${f.freshness.newestIngestedAt}`;
      freshness.classList.toggle("stale", f.freshness.ageSeconds > 300);
    } else {
      freshness.textContent = "no events yet";
    }
    freshness.dataset.ageSeconds = f.freshness.ageSeconds ?? "";
    body.dataset.loadedAt = new Date().toISOString();
    body.dataset.loads = String(Number(body.dataset.loads || 0) + 1);
  }

  // A refresh is skipped while a load is still out, so a slow Trino is not sent a queue of the same
  // questions. A new selection loads at once, so two loads may overlap and answer in either order:
  // draw an answer only if nothing newer is on screen and it was asked for with the window and
  // currency now selected.
  let issued = 0;
  let drawn = 0;
  let selectedSince = 0;
  let pending = 0;

  async function load() {
    const ticket = ++issued;
    pending++;
    const params = new URLSearchParams({ days: daysSelect.value });
    if (currencySelect.value) params.set("currency", currencySelect.value);
    const error = document.getElementById("error");
    try {
      const response = await fetch(`/orgs/${encodeURIComponent(organization)}/figures?${params}`, { credentials: "same-origin" });
      if (response.status === 401) { window.location.assign("/login"); return; }
      const payload = await response.json();
      if (!response.ok) throw new Error(payload.detail || payload.title);
      if (ticket <= drawn || ticket < selectedSince) return;
      drawn = ticket;
      error.hidden = true;
      render(payload);
    } catch (e) {
      error.textContent = `Could not load the figures: ${e.message}`;
      error.hidden = false;
    } finally {
      pending--;
    }
  }

  function reselect() {
    selectedSince = issued + 1;
    load();
  }

  currencySelect.addEventListener("change", reselect);
  daysSelect.addEventListener("change", reselect);
  load();
  setInterval(() => { if (pending === 0) load(); }, refreshSeconds * 1000);
})();
