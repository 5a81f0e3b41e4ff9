// The field app's screens: sign-in once, progress, find a household (code, ID number or
// QR), one tap to record its kit, the outbox with each answer in words, reversals.
"use strict";

(function () {
  const I18N = window.TADAMON_I18N;
  const S = window.FieldStore;
  const $ = (id) => document.getElementById(id);
  const READ_AS = { O: "0", I: "1", L: "1" };
  const SYNC_EVERY_MS = 20000;
  let lang = "ar";
  let found = null;      // the list entry shown, or null
  let typedId = null;    // an ID number typed at the door: in memory until put in the outbox
  let site = null;       // the reception site's screens (field-site.js)
  let signedIn = null;   // the sign-in in use: mode, campaign (or operation, store), unit, token

  const t = (key, values) => (I18N[lang][key] || key).replace(/\{(\w+)\}/g, (_, k) => values[k]);

  function chooseLanguage(wanted) {
    lang = I18N[wanted] ? wanted : "ar";
    localStorage.setItem("tadamon.field.lang", lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = I18N[lang].dir;
    document.title = t("f_title");
    $("lang").value = lang;
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  }

  const normalise = (text) => [...text.toUpperCase()].filter((c) => c !== " " && c !== "-")
    .map((c) => READ_AS[c] || c).join("");
  const printed = (code) => `${code.slice(0, 5)}-${code.slice(5)}`;
  const number = (n) => new Intl.NumberFormat(I18N[lang].locale).format(n);
  const when = (iso) => new Date(iso).toLocaleString(I18N[lang].locale, { dateStyle: "short", timeStyle: "short" });
  const day = (iso) => new Date(iso).toLocaleDateString(I18N[lang].locale, { day: "2-digit", month: "2-digit" });

  async function state() {
    const [entries, outbox] = [await S.all("entries"), await S.all("outbox")];
    const reversed = new Set(outbox.filter((i) => i.kind === "reversal" && i.state !== "rejected").map((i) => i.delivery));
    const served = new Map();
    for (const i of outbox) {
      if (i.kind === "delivery" && i.voucher && i.state !== "rejected" && !reversed.has(i.id)) served.set(i.voucher, i);
    }
    return { entries, outbox, reversed, served };
  }

  function servedWords(entry, local) {
    if (local && local.state === "pending") return t("f_pending");
    if (local) return t("f_served_by", { id: local.id });
    return entry.served_by ? t("f_served_by", { id: entry.served_by }) : null;
  }

  // A refusal in the phone's words, chosen by the server's stable code (never its English);
  // the names a reason quotes ('casa-anfa', 'd-1') are data, and shown as they are.
  function refusal(item) {
    const reason = item.reason || "";
    const quoted = (reason.match(/'([^']+)'/) || [])[1] || "";
    const o = item.original || {};
    switch (item.code) {
      case "already_served":
        return t("f_reason_served", {
          id: o.delivery_id || quoted,
          when: o.delivered_at ? t("f_on", { day: day(o.delivered_at) }) : "",
          who: o.committee ? t("f_of_committee", { code: o.committee }) : "",
        });
      case "listed_elsewhere": return t("f_reason_elsewhere", { code: quoted });
      case "not_on_list": return t("f_reason_not_on_list");
      case "unknown_voucher": case "revoked_voucher": return t("f_reason_unknown_voucher");
      case "no_stock": return t("f_reason_stock");
      default: return t("f_reason_other", { reason });
    }
  }

  function answerWords(item) {
    const head = t(`f_state_${item.state}`);
    return item.state === "rejected" ? t("f_refused_as", { state: head, words: refusal(item) }) : head;
  }

  function itemLine(item, reversed) {
    const li = document.createElement("li");
    li.dataset.id = item.id;
    li.dataset.state = item.state;
    const what = document.createElement("span");
    what.className = "what";
    what.dir = "ltr";
    what.textContent = site.handles(item.kind) ? site.describe(item)
      : item.kind === "reversal" ? t("f_reversal", { id: item.delivery }) : `${item.voucher ? printed(item.voucher) : "••••"} · ${item.id.slice(0, 8)}`;
    const moment = document.createElement("span");
    moment.className = "when";
    moment.textContent = item.delivered_at ? ` ${when(item.delivered_at)}` : "";
    const answer = document.createElement("span");
    answer.className = "answer";
    answer.textContent = answerWords(item);
    li.append(what, moment, answer);
    if (item.kind === "delivery" && !["rejected", "held"].includes(item.state) && !reversed.has(item.id)) li.append(reverseControl(item));
    return li;
  }

  function reverseControl(item) {
    const form = document.createElement("form");
    form.className = "reverse row";
    const reason = document.createElement("input");
    reason.placeholder = t("f_reverse_reason");
    reason.required = true;
    reason.minLength = 3;
    const go = document.createElement("button");
    go.textContent = t("f_reverse");
    form.append(reason, go);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const path = `/deliveries/${encodeURIComponent(item.id)}/reversal`;
      await queue({ kind: "reversal", delivery: item.id, path, body: { reason: reason.value.trim() } });
    });
    return form;
  }

  async function renderProgress(now) {
    const listed = now.entries.length;
    const servedCount = now.entries.filter((e) => now.served.has(e.voucher) || (e.served_by && !now.reversed.has(e.served_by))).length;
    const stock = await S.get("meta", "stock");
    const synced = await S.get("meta", "synced");
    $("n-listed").textContent = number(listed);
    $("n-served").textContent = number(servedCount);
    $("n-remaining").textContent = number(listed - servedCount);
    $("n-stock").textContent = stock === undefined ? "–" : number(stock);
    $("n-waiting").textContent = number(now.outbox.filter((i) => i.state === "pending").length);
    $("n-synced").textContent = synced ? when(synced) : t("f_never");
  }

  async function render() {
    const now = await state();
    await renderProgress(now);
    const ordered = now.outbox.sort((a, b) => b.seq - a.seq);
    $("outbox").replaceChildren(...ordered.filter((i) => i.state !== "rejected").map((i) => itemLine(i, now.reversed)));
    $("review").replaceChildren(...ordered.filter((i) => i.state === "rejected").map((i) => itemLine(i, now.reversed)));
    if (found) showEntry(found, now);
    site.render(now.outbox);
    $("net").textContent = navigator.onLine ? t("f_online") : t("f_offline");
    $("net").classList.toggle("off", !navigator.onLine);
    const failed = await S.get("meta", "failed");
    $("sync-failed").hidden = !failed;
    $("sync-failed").textContent = failed ? t("f_sync_failed", { time: when(failed) }) : "";
    document.body.dataset.waiting = String(now.outbox.filter((i) => i.state === "pending").length);
  }

  function showEntry(entry, now) {
    $("found").hidden = false;
    $("found-code").textContent = printed(entry.voucher);
    $("found-size").textContent = number(entry.size);
    const words = servedWords(entry, now.served.get(entry.voucher));
    $("found-state").textContent = words || t("f_not_served");
    $("record").disabled = Boolean(words);
  }

  async function find(text) {
    found = null; typedId = null;
    ["found", "not-listed", "by-id"].forEach((id) => { $(id).hidden = true; });
    const code = normalise(text);
    const entry = await S.get("entries", code);
    if (entry) { found = entry; return render(); }
    if (/^[0-9A-Z]{10}$/.test(code)) { $("not-listed").hidden = false; return; }
    typedId = text.trim().toUpperCase();
    $("id-masked").textContent = `••••${typedId.slice(-2)}`;
    $("by-id").hidden = false;
  }

  let seq = 0;
  async function queue(fields) {
    const item = { id: crypto.randomUUID(), seq: Date.now() * 1000 + (seq++ % 1000), state: "pending", ...fields };
    await S.put("outbox", item);
    await render();
    sync();
    return item;
  }

  async function recordVoucher() {
    // The household shown when the button was tapped: a code typed while the phone
    // reads its state must not receive this kit.
    const entry = found;
    if (!entry) return;
    $("record").disabled = true;
    const now = await state();
    if (servedWords(entry, now.served.get(entry.voucher))) return;  // never twice here
    await queue({ kind: "delivery", voucher: entry.voucher, household_size: entry.size, delivered_at: new Date().toISOString() });
  }

  async function recordById(event) {
    event.preventDefault();
    if (!typedId) return;
    const household = typedId;
    typedId = null;
    $("by-id").hidden = true;
    $("in-find").value = "";
    await queue({ kind: "delivery", household, household_size: Number($("in-size").value), delivered_at: new Date().toISOString() });
  }

  async function sync() {
    if (!navigator.onLine) return render();
    $("sync").textContent = t("f_syncing");
    try {
      await window.FieldSync.now();
      await S.put("meta", null, "failed");
    } catch (error) {
      // A refused sign-in says so itself; any other failure is shown with its time, so a
      // person on a bad network knows the waiting items did not go (they go next time).
      if (error.message === "auth") $("signin-error").hidden = false;
      else await S.put("meta", new Date().toISOString(), "failed");
    } finally {
      $("sync").textContent = t("f_sync");
      await render();
    }
  }

  async function signIn(auth) {
    $("signin-error").hidden = true;
    try {
      const path = { site: `/v1/operations/${auth.campaign}`, donations: `/v1/stores/${auth.campaign}` }[auth.mode]
        || `/v1/campaigns/${auth.campaign}/committees/${auth.committee}/list?since=0`;
      const answer = await window.FieldSync.call(auth, "GET", path);
      if (!answer.ok) throw new Error("auth");
    } catch (error) {
      $("signin-error").hidden = error.message !== "auth";
      return;
    }
    await S.put("meta", auth, "auth");
    await showApp(auth);
  }

  async function showApp(auth) {
    signedIn = auth;
    document.body.dataset.mode = auth.mode || "committee";
    $("signin").hidden = true;
    $("app").hidden = false;
    await render();
    await sync();
    document.body.dataset.ready = "yes";
  }

  async function signOut() {
    await S.clear("meta");
    await S.clear("entries");
    location.reload();
  }

  function scan() {
    $("camera-error").hidden = true;
    $("camera").hidden = false;
    window.FieldScan.start($("video"), (text) => {
      $("camera").hidden = true;
      $("in-find").value = text;
      find(text);
    }).catch(() => { $("camera").hidden = true; $("camera-error").hidden = false; });
  }

  function wire() {
    $("lang").addEventListener("change", () => { chooseLanguage($("lang").value); render(); });
    $("signin").addEventListener("submit", (event) => {
      event.preventDefault();
      signIn({ mode: $("in-mode").value, campaign: $("in-campaign").value.trim(), committee: $("in-committee").value.trim(), token: $("in-token").value.trim() });
    });
    $("in-mode").addEventListener("change", () => { document.body.dataset.mode = $("in-mode").value; });
    $("find").addEventListener("submit", (event) => { event.preventDefault(); find($("in-find").value); });
    $("record").addEventListener("click", recordVoucher);
    $("by-id").addEventListener("submit", recordById);
    $("sync").addEventListener("click", sync);
    $("scan").addEventListener("click", scan);
    $("scan-stop").addEventListener("click", () => { window.FieldScan.stop(); $("camera").hidden = true; });
    $("sign-out").addEventListener("click", signOut);
    window.addEventListener("online", sync);
    window.addEventListener("offline", render);
    setInterval(sync, SYNC_EVERY_MS);
  }

  async function start() {
    chooseLanguage(new URLSearchParams(location.search).get("lang") || localStorage.getItem("tadamon.field.lang"));
    site = window.FieldSite({ t, queue, number });
    site.wire();
    window.FieldDonations({ t, auth: () => signedIn }).wire();
    wire();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" });
      navigator.serviceWorker.ready.then(() => { document.body.dataset.offlineReady = "yes"; });
    }
    const link = new URLSearchParams(location.hash.slice(1));
    history.replaceState(null, "", location.pathname + location.search);  // the token leaves the address bar
    const auth = await S.get("meta", "auth");
    if (auth) return showApp(auth);
    const mode = ["site", "donations"].includes(link.get("mode")) ? link.get("mode") : "committee";
    const place = { site: [link.get("operation"), link.get("site")], donations: [link.get("store"), ""] }[mode]
      || [link.get("campaign"), link.get("committee")];
    if (link.get("token")) return signIn({ mode, campaign: place[0], committee: place[1], token: link.get("token") });
    document.body.dataset.mode = "committee";
    $("signin").hidden = false;
    document.body.dataset.ready = "signin";
  }

  start();
})();
