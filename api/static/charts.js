// Charts of the board, in plain SVG, each with a table behind it for screen readers: the
// drawing. What to draw comes from the totals endpoints, in board_charts.js.
"use strict";

(function () {
  // The SVG namespace, as the HTML parser gives it, rather than written out as a URL.
  const holder = document.createElement("div");
  holder.innerHTML = "<svg></svg>";
  const SVG = holder.firstChild.namespaceURI;
  const WIDTH = 360;
  const HEIGHT = 180;
  const PAD = { top: 12, right: 8, bottom: 28, left: 52 };
  const $ = (id) => document.getElementById(id);
  const chosen = {}; // chart id -> the measure shown

  function words() {
    const all = window.TADAMON_I18N;
    return all[document.documentElement.lang] || all.fr;
  }

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Bars per period: series of one stack pile up, stacks stand side by side; y from 0.
  function bars(periods, series) {
    const svg = el("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, "aria-hidden": "true" });
    const stacks = [...new Set(series.map((s) => s.stack))];
    const height = (i, stack) => series.filter((s) => s.stack === stack)
      .reduce((sum, s) => sum + s.values[i], 0);
    const top = Math.max(1, ...periods.flatMap((_, i) => stacks.map((k) => height(i, k))));
    const inner = { w: WIDTH - PAD.left - PAD.right, h: HEIGHT - PAD.top - PAD.bottom };
    const group = inner.w / Math.max(1, periods.length);
    const bar = Math.max(1, (group * 0.8) / stacks.length);
    const base = PAD.top + inner.h;
    svg.append(el("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: base, y2: base,
      class: "axis" }));
    svg.append(el("text", { x: PAD.left - 4, y: PAD.top + 8, class: "tick end" },
      new Intl.NumberFormat(words().locale, { notation: "compact" }).format(top)));
    svg.append(el("text", { x: PAD.left - 4, y: base, class: "tick end" }, "0"));
    periods.forEach((period, i) => {
      const piled = stacks.map(() => 0);
      series.forEach((s, j) => {
        const k = stacks.indexOf(s.stack);
        const h = (s.values[i] / top) * inner.h;
        piled[k] += h;
        if (h > 0) {
          svg.append(el("rect", { x: PAD.left + i * group + group * 0.1 + k * bar,
            y: base - piled[k], width: bar, height: h, class: `bar series-${j}` }));
        }
      });
    });
    [0, periods.length - 1].filter((i, k, a) => a.indexOf(i) === k && periods[i]).forEach((i) => {
      const x = PAD.left + i * group + group / 2;
      svg.append(el("text", { x, y: HEIGHT - 8, class: "tick middle" }, periods[i]));
    });
    return svg;
  }

  function heading(row, text, scope) {
    const th = document.createElement("th");
    th.scope = scope;
    th.textContent = text;
    row.append(th);
  }

  function table(spec) {
    const tableEl = document.createElement("table");
    tableEl.createCaption().textContent = spec.caption;
    const w = words();
    const total = spec.total ? [w.chart_total] : [];
    const head = tableEl.createTHead().insertRow();
    [spec.periodLabel, ...spec.series.map((s) => s.label), ...total]
      .forEach((text) => heading(head, text, "col"));
    const body = tableEl.createTBody();
    const number = (value) => value.toLocaleString(w.locale);
    spec.periods.forEach((period, i) => {
      const row = body.insertRow();
      heading(row, period, "row");
      const values = spec.series.map((s) => s.values[i]);
      const sum = spec.total ? [values.reduce((a, b) => a + b, 0)] : [];
      [...values, ...sum].forEach((value) => { row.insertCell().textContent = number(value); });
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

  // The buttons that choose the chart's measure (households or people, arrivals or departures).
  function choice(id, measures) {
    const group = document.createElement("div");
    group.className = "measures";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", words().chart_show);
    measures.forEach((m) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.measure = m.key;
      button.textContent = m.label;
      button.setAttribute("aria-pressed", String(m.key === chosen[id]));
      button.addEventListener("click", () => {
        chosen[id] = m.key;
        window.TADAMON_CHARTS.redraw();
        $(id).querySelector(`[data-measure="${m.key}"]`).focus();
      });
      group.append(button);
    });
    return group;
  }

  function chart(id, spec) {
    const figure = $(id);
    if (!figure) return;
    figure.hidden = spec.periods.length === 0;
    const caption = document.createElement("figcaption");
    caption.textContent = spec.title;
    const parts = [caption];
    if (spec.measures) parts.push(choice(id, spec.measures));
    const shown = spec.measures ? spec.measures.find((m) => m.key === chosen[id]).label : "";
    spec.caption = shown ? `${spec.title}: ${shown}` : spec.title;
    const data = document.createElement("div");
    data.className = "chart-data";
    data.append(table(spec));
    parts.push(legend(spec.series), bars(spec.periods, spec.series), data);
    figure.replaceChildren(...parts);
  }

  // The board's own part (board_charts.js) reads the totals and says what to draw.
  window.TADAMON_CHARTS = { chart, chosen, redraw: () => window.TADAMON_BOARD_CHARTS.render() };
})();
