// Charts of the board: plain SVG drawn from the same totals endpoints, each with a table
// behind it for screen readers. Redrawn whenever the board refreshes or changes language.
"use strict";

(function () {
  const TOKEN_KEY = "tadamon.token";
  // The SVG namespace, as the HTML parser gives it, rather than written out as a URL.
  const holder = document.createElement("div");
  holder.innerHTML = "<svg></svg>";
  const SVG = holder.firstChild.namespaceURI;
  const WIDTH = 360;
  const HEIGHT = 180;
  const PAD = { top: 12, right: 8, bottom: 28, left: 52 };
  const $ = (id) => document.getElementById(id);
  let drawing = 0;

  function words() {
    const all = window.TADAMON_I18N;
    return all[document.documentElement.lang] || all.fr;
  }

  async function totals(path) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return null;
    const answer = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    return answer.ok ? answer.json() : null;
  }

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Grouped bars, one group per period; the y axis starts at 0 and shows its top value.
  function bars(periods, series) {
    const svg = el("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, "aria-hidden": "true" });
    const top = Math.max(1, ...series.flatMap((s) => s.values));
    const inner = { w: WIDTH - PAD.left - PAD.right, h: HEIGHT - PAD.top - PAD.bottom };
    const group = inner.w / Math.max(1, periods.length);
    const bar = Math.max(1, (group * 0.8) / series.length);
    const locale = words().locale;
    svg.append(el("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top + inner.h,
      y2: PAD.top + inner.h, class: "axis" }));
    svg.append(el("text", { x: PAD.left - 4, y: PAD.top + 8, class: "tick end" },
      new Intl.NumberFormat(locale, { notation: "compact" }).format(top)));
    svg.append(el("text", { x: PAD.left - 4, y: PAD.top + inner.h, class: "tick end" }, "0"));
    periods.forEach((period, i) => {
      series.forEach((s, j) => {
        const h = (s.values[i] / top) * inner.h;
        const x = PAD.left + i * group + group * 0.1 + j * bar;
        svg.append(el("rect", { x, y: PAD.top + inner.h - h, width: bar, height: h,
          class: `bar series-${j}` }));
      });
    });
    [0, periods.length - 1].filter((i, k, a) => a.indexOf(i) === k && periods[i]).forEach((i) => {
      const x = PAD.left + i * group + group / 2;
      svg.append(el("text", { x, y: HEIGHT - 8, class: "tick middle" }, periods[i]));
    });
    return svg;
  }

  function table(caption, periodLabel, periods, series) {
    const tableEl = document.createElement("table");
    tableEl.className = "chart-table";
    tableEl.createCaption().textContent = caption;
    const head = tableEl.createTHead().insertRow();
    [periodLabel, ...series.map((s) => s.label)].forEach((text) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.append(th);
    });
    const body = tableEl.createTBody();
    const locale = words().locale;
    periods.forEach((period, i) => {
      const row = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = period;
      row.append(th);
      series.forEach((s) => { row.insertCell().textContent = s.values[i].toLocaleString(locale); });
    });
    return tableEl;
  }

  function legend(series) {
    const list = document.createElement("ul");
    list.className = "legend";
    series.forEach((s, j) => {
      const item = document.createElement("li");
      item.className = `series-${j}`;
      item.textContent = s.label;
      list.append(item);
    });
    return list;
  }

  function chart(id, title, periodLabel, periods, series) {
    const figure = $(id);
    if (!figure) return;
    figure.hidden = periods.length === 0;
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    figure.replaceChildren(caption, legend(series), bars(periods, series),
      table(title, periodLabel, periods, series));
  }

  function whole(text) {
    return Math.round(Number(text)); // MAD shown to the dirham on a chart; tables say so
  }

  function drawDistribution(found, w) {
    const days = found ? found.days : [];
    chart("chart-served", w.chart_served, w.chart_day, days.map((d) => d.day), [
      { label: w.chart_households, values: days.map((d) => d.households_served) },
      { label: w.chart_people, values: days.map((d) => d.people_reached) },
    ]);
  }

  function drawMarhaba(found, w) {
    const days = found ? found.days : [];
    chart("chart-travel", w.chart_travel, w.chart_day, days.map((d) => d.day), [
      { label: w.arrivals, values: days.map((d) => d.arrivals) },
      { label: w.departures, values: days.map((d) => d.departures) },
    ]);
  }

  function drawDonations(found, w) {
    const months = found ? found.months : [];
    chart("chart-gifts", w.chart_gifts, w.chart_month, months.map((m) => m.month), [
      { label: w.chart_cash, values: months.map((m) => whole(m.cash_received_mad)) },
      { label: w.chart_in_kind, values: months.map((m) => whole(m.in_kind_mad)) },
    ]);
  }

  async function draw() {
    const mine = ++drawing;
    const campaign = $("campaign") && $("campaign").value;
    const operation = $("operation") && $("operation").value;
    const [served, travel, gifts] = await Promise.all([
      campaign ? totals(`/v1/campaigns/${encodeURIComponent(campaign)}/totals`) : null,
      operation ? totals(`/v1/operations/${encodeURIComponent(operation)}/totals`) : null,
      totals("/v1/donations/totals"),
    ]);
    if (mine !== drawing) return; // a newer refresh is drawing
    const w = words();
    drawDistribution(served, w);
    drawMarhaba(travel, w);
    drawDonations(gifts, w);
    document.body.dataset.charts = "drawn";
  }

  function start() {
    const redraw = () => { draw().catch(() => { document.body.dataset.charts = "failed"; }); };
    new MutationObserver(redraw).observe($("updated"), { childList: true, characterData: true,
      subtree: true });
    new MutationObserver(redraw).observe(document.documentElement, { attributeFilter: ["lang"] });
    const print = $("print");
    if (print) print.addEventListener("click", () => window.print());
  }

  document.addEventListener("DOMContentLoaded", start);
})();
