// What the board's charts show, read from the same totals endpoints as the board: people
// served per day by region, travellers per day by site, gifts received and dispatched per
// month. A breakdown keeps its biggest members by name and sums the rest as "other", so a
// phone's legend stays readable. charts.js draws; this file redraws on every refresh.
"use strict";

(function () {
  const TOKEN_KEY = "tadamon.token";
  const FEW = 4; // series a breakdown shows at most: the three biggest and "other", or four
  const $ = (id) => document.getElementById(id);
  let found = null; // the totals last read, to redraw (language, measure) without reading again
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

  // The members in order of their total, biggest first (ties by code: a stable order).
  function ranked(rows, key, measure) {
    const sums = new Map();
    rows.forEach((r) => sums.set(r[key], (sums.get(r[key]) || 0) + r[measure]));
    return [...sums.entries()].filter(([, sum]) => sum > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([member]) => member);
  }

  // Stacked series of ``measure`` per day, one per member of ``key``; ``name`` gives its words.
  function breakdown(rows, key, measure, name, other) {
    const periods = [...new Set(rows.map((r) => r.day))].sort();
    const members = ranked(rows, key, measure);
    const shown = members.length > FEW ? members.slice(0, FEW - 1) : members;
    const series = shown.map((member) => ({ label: name(member), stack: 0 }));
    if (shown.length < members.length) series.push({ label: other, stack: 0 });
    series.forEach((s) => { s.values = periods.map(() => 0); });
    const at = new Map(periods.map((p, i) => [p, i]));
    rows.forEach((r) => {
      const j = shown.indexOf(r[key]);
      const s = series[j >= 0 ? j : shown.length];
      if (s) s.values[at.get(r.day)] += r[measure];
    });
    return { periods, series };
  }

  function measured(id, measures, draw) {
    const { chosen } = window.TADAMON_CHARTS;
    if (!measures.some((m) => m.key === chosen[id])) chosen[id] = measures[0].key;
    return { measures, total: true, ...draw(chosen[id]) };
  }

  function served(totalsFound, w) {
    const rows = totalsFound ? totalsFound.region_days : [];
    const regions = new Map((totalsFound ? totalsFound.regions : []).map((r) => [r.code, r]));
    const name = (code) => (regions.get(code) || {})[`name_${document.documentElement.lang}`]
      || code;
    const measures = [{ key: "households_served", label: w.chart_households },
      { key: "people_reached", label: w.chart_people }];
    return measured("chart-served", measures,
      (measure) => breakdown(rows, "region", measure, name, w.chart_other_regions));
  }

  function travel(totalsFound, w) {
    const rows = totalsFound ? totalsFound.site_days : [];
    const sites = new Map((totalsFound ? totalsFound.sites : []).map((s) => [s.code, s.name]));
    const measures = [{ key: "arrivals", label: w.arrivals },
      { key: "departures", label: w.departures }];
    return measured("chart-travel", measures, (measure) => breakdown(rows, "site",
      measure, (code) => sites.get(code) || code, w.chart_other_sites));
  }

  function whole(text) {
    return Math.round(Number(text)); // MAD shown to the dirham on a chart; tables say so
  }

  function gifts(totalsFound, w) {
    const months = totalsFound ? totalsFound.months : [];
    const series = (label, stack, field) => ({ label, stack,
      values: months.map((m) => whole(m[field])) });
    return { periods: months.map((m) => m.month), series: [
      series(w.chart_cash, 0, "cash_received_mad"),
      series(w.chart_in_kind, 0, "in_kind_mad"),
      series(w.chart_dispatched, 1, "value_at_dispatch_mad"),
    ] };
  }

  function render() {
    if (!found) return;
    const w = words();
    const { chart } = window.TADAMON_CHARTS;
    chart("chart-served", { title: w.chart_served, periodLabel: w.chart_day,
      ...served(found.served, w) });
    chart("chart-travel", { title: w.chart_travel, periodLabel: w.chart_day,
      ...travel(found.travel, w) });
    chart("chart-gifts", { title: w.chart_gifts, periodLabel: w.chart_month,
      ...gifts(found.gifts, w) });
    document.body.dataset.charts = "drawn";
  }

  async function draw() {
    const mine = ++drawing;
    const campaign = $("campaign") && $("campaign").value;
    const operation = $("operation") && $("operation").value;
    const [servedFound, travelFound, giftsFound] = await Promise.all([
      campaign ? totals(`/v1/campaigns/${encodeURIComponent(campaign)}/totals`) : null,
      operation ? totals(`/v1/operations/${encodeURIComponent(operation)}/totals`) : null,
      totals("/v1/donations/totals"),
    ]);
    if (mine !== drawing) return; // a newer refresh is drawing
    found = { served: servedFound, travel: travelFound, gifts: giftsFound };
    render();
  }

  function start() {
    const redraw = () => { draw().catch(() => { document.body.dataset.charts = "failed"; }); };
    new MutationObserver(redraw).observe($("updated"), { childList: true, characterData: true,
      subtree: true });
    new MutationObserver(render).observe(document.documentElement, { attributeFilter: ["lang"] });
    const print = $("print");
    if (print) print.addEventListener("click", () => window.print());
  }

  window.TADAMON_BOARD_CHARTS = { render };
  document.addEventListener("DOMContentLoaded", start);
})();
