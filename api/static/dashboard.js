// The live dashboard: reads the API with the visitor's token and polls for changes.
// No framework and no build step; everything it loads comes from this server.
"use strict";

(function () {
  const I18N = window.TADAMON_I18N;
  const TOKEN_KEY = "tadamon.token";
  const LANG_KEY = "tadamon.lang";
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const POLL_MS = Math.max(250, Number(query.get("poll")) || 3000);
  const state = {
    lang: pickLanguage(),
    campaign: fragment.get("campaign") || "",
    operation: fragment.get("operation") || "",
    head: -1,
    totals: null,
    extra: { marhaba: null, donations: null },
    completeness: null,
    siteCompleteness: null,
    activity: [],
    timer: null,
    generation: 0,
    updatedAt: "",
    me: null, // GET /v1/tokens/me: the token's role and its committee or site
    forbidden: new Set(), // sections this token may not read: absent, never asked again
  };
  const FORBIDDEN = Symbol("forbidden");
  const $ = (id) => document.getElementById(id);

  function pickLanguage() {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved && I18N[saved]) return saved;
    const wanted = (navigator.language || "fr").slice(0, 2);
    return I18N[wanted] ? wanted : "fr";
  }

  function words() {
    return I18N[state.lang];
  }

  function number(value) {
    return new Intl.NumberFormat(words().locale).format(Number(value || 0));
  }

  // Amounts arrive as exact decimal strings ("17760000.00"); shown rounded to the dirham.
  function money(value) {
    const format = new Intl.NumberFormat(words().locale, { maximumFractionDigits: 0 });
    return `${format.format(Number(value || 0))} ${words().mad}`;
  }

  function moment(iso) {
    const format = new Intl.DateTimeFormat(words().locale, {
      dateStyle: "short",
      timeStyle: "medium",
      timeZone: "Africa/Casablanca",
    });
    return format.format(new Date(iso));
  }

  // -- token: from the URL fragment once (e.g. an auditor's read-only link), then the tab --
  function takeTokenFromFragment() {
    const token = fragment.get("token") || fragment.get("auditor");
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    fragment.delete("token");
    fragment.delete("auditor");
    const rest = fragment.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
  }

  async function api(path) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const answer = await fetch(path, {
      headers: { Authorization: "Bearer " + token, Accept: "application/json" },
      cache: "no-store",
    });
    if (answer.status === 401) {
      signOut(words().bad_token);
      throw new Error("unauthorized");
    }
    if (answer.status === 403) return FORBIDDEN;
    if (answer.status === 404) return null;
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    return answer.json();
  }

  // A section of the board this token may not read is left out, not shown as dashes.
  async function section(name, path) {
    if (state.forbidden.has(name)) return null;
    const found = await api(path);
    if (found !== FORBIDDEN) return found;
    state.forbidden.add(name);
    return null;
  }

  // Fills "{name}" slots of a phrase from i18n.js.
  function phrase(text, values) {
    return text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  }

  // Read only by approvers, admins and auditors: for another token the panel stays hidden.
  async function optional(path) {
    try {
      const found = await api(path);
      return found === FORBIDDEN ? null : found;
    } catch (error) {
      if (error.message === "unauthorized") throw error;
      return null;
    }
  }

  function completenessPath(fresh) {
    const campaign = encodeURIComponent(state.campaign);
    return `/v1/approvals/distribution/${campaign}/completeness?level=committee&${fresh.split("?")[1]}`;
  }

  function siteCompletenessPath(fresh) {
    const operation = encodeURIComponent(state.operation);
    return `/v1/approvals/marhaba/${operation}/completeness?level=site&${fresh.split("?")[1]}`;
  }

  // -- language -------------------------------------------------------------------------
  function applyLanguage(lang) {
    state.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = words().dir;
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      const text = words()[el.dataset.i18n];
      if (typeof text === "string") el.textContent = text;
    });
    document.querySelectorAll("[data-lang]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    });
    render();
  }

  // -- rendering --------------------------------------------------------------------------
  function placeName(place) {
    return place["name_" + state.lang] || place.name_fr || place.code;
  }

  function bar(label, value, goal, note) {
    const item = document.createElement("li");
    const head = document.createElement("div");
    head.className = "bar-head";
    const name = document.createElement("span");
    name.textContent = label;
    const figures = document.createElement("span");
    figures.className = "bar-figures";
    figures.textContent = goal > 0 ? `${number(value)} / ${number(goal)}` : number(value);
    head.append(name, figures);
    const track = document.createElement("div");
    track.className = "progress";
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.inlineSize = goal > 0 ? Math.min(100, (100 * value) / goal) + "%" : "0%";
    track.append(fill);
    item.append(head, track);
    if (note) item.title = note;
    return item;
  }

  function renderDistribution() {
    const t = state.totals;
    $("card-distribution").hidden = !t;
    for (const id of ["regions", "provinces"]) $(id).closest("section").hidden = !t;
    if (!t) return;
    $("campaign-name").textContent = t.name || t.campaign;
    $("served").textContent = number(t.households_served);
    $("target").textContent = number(t.target_households);
    const share = t.target_households ? (100 * t.households_served) / t.target_households : 0;
    $("served-bar").style.inlineSize = Math.min(100, share) + "%";
    $("served-bar").parentElement.setAttribute("aria-valuenow", share.toFixed(1));
    $("people").textContent = number(t.people_reached);
    $("stock").textContent = number(t.kits_in_stock);
    $("committees").textContent = number(t.committees);
    $("reversed").textContent = number(t.deliveries_reversed);
    $("listed").textContent = number(t.listed);
    $("listed-remaining").textContent = number(t.listed_remaining);
    $("off-list").textContent = number(t.served_off_list);
    // Where lists exist, a place's bar runs towards its listed households, not its quota.
    const goal = (place) => (t.listed ? place.listed : place.quota);
    const regions = t.regions.map((r) => bar(placeName(r), r.households_served, goal(r), r.code));
    $("regions").replaceChildren(...(regions.length ? regions : [empty()]));
    const provinces = [...t.provinces]
      .sort((a, b) => (a.region + a.code).localeCompare(b.region + b.code))
      .map((p) => bar(placeName(p), p.households_served, goal(p), p.code));
    $("provinces").replaceChildren(...(provinces.length ? provinces : [empty()]));
  }

  function empty() {
    const item = document.createElement("li");
    item.className = "empty";
    item.textContent = words().no_data;
    return item;
  }

  // The figures each operation's totals endpoint gives (projections/marhaba_report.py and
  // projections/donations_report.py): [JSON key, label in i18n.js, how to show it].
  const KNOWN_FACTS = {
    marhaba: [
      ["arrivals", "arrivals", number],
      ["departures", "departures", number],
      ["people_assisted", "assisted", number],
      ["open_cases", "open_cases", number],
      ["sites_registered", "sites", number],
      ["movements", "movements", number],
    ],
    donations: [
      ["in_kind_mad", "in_kind", money],
      ["cash_received_mad", "cash", money],
      // the sum reads as the in-kind figure again unless cash was received too
      ["value_received_mad", "received", money, (data) => Number(data.cash_received_mad) > 0],
      ["value_dispatched_mad", "dispatched", money],
      ["donor_count", "donors", number],
      ["unvalued_lines", "unvalued", number],
    ],
  };

  function fact(testid, label, text) {
    const row = document.createElement("div");
    const term = document.createElement("dt");
    term.textContent = label;
    const value = document.createElement("dd");
    value.dataset.testid = testid;
    value.textContent = text;
    row.append(term, value);
    return row;
  }

  function renderExtra(name) {
    const data = state.extra[name];
    $("card-" + name).hidden = !data;
    if (!data) return;
    if (name === "marhaba") $("operation-name").textContent = data.name || data.operation;
    const rows = KNOWN_FACTS[name]
      .filter(([key, , , shown]) => data[key] !== undefined && (!shown || shown(data)))
      .map(([key, label, show]) => fact(`${name}-${key}`, words()[label] || label, show(data[key])));
    if (name === "donations") rows.push(...outgoing(data));
    $(name + "-facts").replaceChildren(...rows);
  }

  // What left the foundation besides dispatched gifts: cash paid to funds, relief shipments.
  function outgoing(data) {
    const w = words();
    const paid = data.funds
      .filter((f) => Number(f.paid_out_mad) > 0)
      .map((f) => fact(`donations-paid-${f.fund}`,
        phrase(w.paid_to, { fund: w.funds[f.fund] || f.fund }), money(f.paid_out_mad)));
    const shipped = data.shipments.map((s) => fact(`donations-shipment-${s.code}`,
      phrase(w.shipment_to, { destination: s.destination || s.code }),
      phrase(w.shipment_figures, { tonnes: number(s.tonnes), kinds: number(s.kinds) })));
    return [...paid, ...shipped];
  }

  // -- the token's own committee or site, first ------------------------------------------
  function committeeCard(me) {
    const t = state.totals;
    const mine = t && t.committee_totals.find((c) => c.code === me.scope);
    if (!mine) return null;
    return {
      where: t.name || t.campaign,
      rows: [
        ["households_served", "served", mine.households_served],
        ["kits_dispatched", "kits_received", mine.kits_dispatched],
        ["kits_in_stock", "kits_left", mine.kits_in_stock],
      ],
    };
  }

  function siteCard(me) {
    const data = state.extra.marhaba;
    if (!data) return null;
    const days = data.site_days.filter((d) => d.site === me.scope).map((d) => d.day).sort();
    const day = days[days.length - 1];
    const figures = data.site_days.find((d) => d.site === me.scope && d.day === day) || {};
    const when = day ? `${words().latest_day}: ${dayText(day)}` : words().no_data;
    return {
      where: `${data.name || data.operation} · ${when}`,
      rows: [
        ["arrivals", "arrivals", figures.arrivals],
        ["departures", "departures", figures.departures],
        ["people_assisted", "assisted", figures.people_assisted],
      ],
    };
  }

  function dayText(day) {
    const format = new Intl.DateTimeFormat(words().locale, { dateStyle: "medium", timeZone: "UTC" });
    return format.format(new Date(day + "T12:00:00Z"));
  }

  function renderMine() {
    const me = state.me;
    const build = { committee: committeeCard, site: siteCard }[me && me.role];
    const card = build ? build(me) : null;
    $("card-mine").hidden = !card;
    if (!card) return;
    $("mine-title").textContent = `${words()["my_" + me.role]} ${me.scope}`;
    $("mine-where").textContent = card.where;
    $("mine-facts").replaceChildren(
      ...card.rows.map(([key, label, value]) => fact(`mine-${key}`, words()[label], number(value)))
    );
  }

  function activityText(item) {
    const d = item.details;
    const w = words();
    const where = d.committee || d.site || d.store || d.shipment || d.campaign || d.operation;
    const parts = [where, d.province || d.region, d.recipient, d.destination_country];
    const named = (list, key) => (key === undefined ? undefined : (w[list] || {})[key] || key);
    parts.push(named("directions", d.direction), named("modes", d.mode));
    parts.push(named("kinds", d.donor_kind || d.site_kind || d.recipient_kind));
    if (d.travellers) parts.push(`${number(d.travellers)} ${w.travellers}`);
    if (d.delta) parts.push(`${d.delta > 0 ? "+" : "−"}${number(Math.abs(d.delta))}`);
    if (d.people) parts.push(`${number(d.people)} ${w.people}`);
    if (d.household_size) parts.push(`${number(d.household_size)} ${w.people}`);
    if (d.quantity) parts.push(`${number(d.quantity)} ${w.kits}`);
    if (d.count) parts.push(`× ${number(d.count)}`);
    if (d.households !== undefined) parts.push(`${number(d.households)} ${w.households}`);
    if (d.lines) parts.push(`${number(d.lines)} ${w.lines}`);
    const centimes = d.amount_centimes ?? d.value_centimes ?? d.declared_centimes;
    if (centimes !== undefined) parts.push(money(centimes / 100));
    return parts.filter((p) => p !== undefined && p !== "").join(" · ");
  }

  function renderActivity() {
    const items = state.activity.map((item) => {
      const li = document.createElement("li");
      const time = document.createElement("time");
      time.dateTime = item.at;
      time.textContent = moment(item.at);
      const what = document.createElement("strong");
      what.textContent = words().types[item.type] || item.type;
      const detail = document.createElement("span");
      detail.textContent = activityText(item);
      li.append(time, what, detail);
      return li;
    });
    $("activity").replaceChildren(...(items.length ? items : [empty()]));
    $("activity").closest("section").hidden = state.forbidden.has("activity");
  }

  // Completeness per committee over the campaign: each period's rows summed by unit,
  // the units with the most silent days first (the server orders periods the same way).
  const COUNTS = ["expected", "reported", "on_time", "late", "silent"];

  function completenessByUnit(rows) {
    const units = new Map();
    for (const row of rows) {
      const unit = units.get(row.unit) || { unit: row.unit, expected: 0, reported: 0, on_time: 0, late: 0, silent: 0 };
      COUNTS.forEach((key) => (unit[key] += row[key]));
      units.set(row.unit, unit);
    }
    return [...units.values()].sort((a, b) => b.silent - a.silent || a.unit.localeCompare(b.unit));
  }

  function stackBar(unit) {
    const item = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = unit.unit;
    const track = document.createElement("div");
    track.className = "stack";
    for (const key of ["on_time", "late", "silent"]) {
      const part = document.createElement("div");
      part.className = "part " + key;
      part.style.inlineSize = unit.expected ? (100 * unit[key]) / unit.expected + "%" : "0%";
      part.title = `${words()[key]}: ${number(unit[key])}`;
      track.append(part);
    }
    item.append(label, track);
    return item;
  }

  // The same panel for committees ("completeness") and reception sites ("site-completeness").
  function renderCompleteness(data, id) {
    $(id + "-panel").hidden = !data;
    if (!data) return;
    const units = completenessByUnit(data.units);
    const rows = units.map((unit) => {
      const row = document.createElement("tr");
      row.dataset.unit = unit.unit;
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = unit.unit;
      row.append(name);
      COUNTS.forEach((key) => {
        const cell = document.createElement("td");
        cell.dataset.count = key;
        cell.textContent = number(unit[key]);
        row.append(cell);
      });
      return row;
    });
    $(id).replaceChildren(...rows);
    $(id + "-chart").replaceChildren(...units.slice(0, 12).map(stackBar));
  }

  function render() {
    renderMine();
    renderDistribution();
    renderExtra("marhaba");
    renderExtra("donations");
    renderActivity();
    renderCompleteness(state.completeness, "completeness");
    renderCompleteness(state.siteCompleteness, "site-completeness");
    if (state.updatedAt) $("updated").textContent = moment(state.updatedAt);
    if (document.body.dataset.state) showStatus(document.body.dataset.state);
  }

  // -- data -------------------------------------------------------------------------------
  // A picker per operation kind: hidden while there is only one to choose from.
  // A committee token reads its own campaign, a site token its own operation: no picker.
  const PINNED = { campaign: "committee", operation: "site" };

  async function loadChoices(path, key, selectId) {
    const select = $(selectId);
    if (state.me && state.me.role === PINNED[key]) {
      state[key] = state.me.within;
      select.closest("label").hidden = true;
      return;
    }
    const found = (await api(path)) || [];
    select.replaceChildren(
      ...found.map((c) => new Option(c.name || c.slug, c.slug, false, c.slug === state[key]))
    );
    if (!found.some((c) => c.slug === state[key])) {
      state[key] = found.length ? found[0].slug : "";
    }
    select.value = state[key];
    select.closest("label").hidden = found.length < 2;
  }

  async function refresh(force) {
    if (!state.me) state.me = await api("/v1/tokens/me");
    const feed = await section("activity", "/v1/activity?limit=15");
    if (!force && feed && feed.head === state.head) return;
    state.head = feed ? feed.head : 0;
    state.activity = feed ? feed.items : [];
    await loadChoices("/v1/campaigns", "campaign", "campaign");
    await loadChoices("/v1/operations", "operation", "operation");
    // min_position: the totals wait (briefly) until they include what the feed shows
    const fresh = `totals?min_position=${state.head}`;
    state.totals = state.campaign
      ? await section("distribution", `/v1/campaigns/${encodeURIComponent(state.campaign)}/${fresh}`)
      : null;
    state.extra.marhaba = state.operation
      ? await section("marhaba", `/v1/operations/${encodeURIComponent(state.operation)}/${fresh}`)
      : null;
    state.extra.donations = await section("donations", `/v1/donations/${fresh}`);
    state.completeness = state.campaign ? await optional(completenessPath(fresh)) : null;
    state.siteCompleteness = state.operation ? await optional(siteCompletenessPath(fresh)) : null;
    state.updatedAt = new Date().toISOString();
    render();
  }

  // "live" only after a whole refresh succeeded; a failed one says so, and how old the
  // figures still on the board are.
  function showStatus(status) {
    document.body.dataset.state = status;
    const since = status === "failed" && state.updatedAt;
    const age = since ? ` ${words().figures_from} ${moment(state.updatedAt)}` : "";
    $("status").textContent = words()[status] + age;
  }

  async function tick(force, generation) {
    if (generation !== state.generation) return; // a newer loop took over
    try {
      await refresh(force);
      showStatus("live");
    } catch (error) {
      if (error.message === "unauthorized") return;
      showStatus("failed");
    }
    if (generation === state.generation) {
      state.timer = setTimeout(() => tick(false, generation), POLL_MS);
    }
  }

  function restart() {
    clearTimeout(state.timer);
    state.generation += 1;
    tick(true, state.generation);
  }

  // -- sign in and out --------------------------------------------------------------------
  function showBoard() {
    $("login").hidden = true;
    $("board").hidden = false;
    $("sign-out").hidden = false;
    state.head = -1;
    restart();
  }

  function signOut(message) {
    clearTimeout(state.timer);
    state.generation += 1;
    sessionStorage.removeItem(TOKEN_KEY);
    Object.assign(state, { me: null, forbidden: new Set(), updatedAt: "" });
    $("board").hidden = true;
    $("sign-out").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
  }

  function start() {
    takeTokenFromFragment();
    document.querySelectorAll("[data-lang]").forEach((button) => {
      button.addEventListener("click", () => applyLanguage(button.dataset.lang));
    });
    $("login-form").addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
      $("token").value = "";
      showBoard();
    });
    $("sign-out").addEventListener("click", () => signOut(""));
    for (const key of ["campaign", "operation"]) {
      $(key).addEventListener("change", (event) => {
        state[key] = event.target.value;
        restart();
      });
    }
    applyLanguage(state.lang);
    if (sessionStorage.getItem(TOKEN_KEY)) showBoard();
    else signOut("");
  }

  start();
})();
