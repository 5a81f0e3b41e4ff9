// Sending the outbox and fetching the list. Every outbox item keeps its own id (the
// delivery id made on the phone), so a batch sent twice (page closed mid-sync, answer lost)
// is counted once by the server. A typed ID number is dropped once the server answered.
"use strict";

window.FieldSync = (function () {
  const S = window.FieldStore;
  const BATCH = 50;
  let running = null;

  async function call(auth, method, path, body) {
    const answer = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${auth.token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (answer.status === 401 || answer.status === 403) throw new Error("auth");
    return answer;
  }

  // The server's answer to an item: its status, its reason (for people) and the reason's
  // code (what the phone says in its own words), and the original it repeats or contradicts.
  function settle(item, status, reason, original, code) {
    // Held for an approved period: kept by the server, recorded once it is un-approved.
    const state = code === "held_for_approved_period" ? "held" : status;
    const done = { ...item, state, reason: reason || null, original: original || null,
      code: code || null };
    delete done.household;  // the ID number leaves the phone with the server's answer
    return done;
  }

  async function pushDeliveries(auth, pending) {
    for (let start = 0; start < pending.length; start += BATCH) {
      const chunk = pending.slice(start, start + BATCH);
      const items = chunk.map((i) => ({
        delivery_id: i.id, committee: auth.committee, household_size: i.household_size,
        delivered_at: i.delivered_at, ...(i.voucher ? { voucher: i.voucher } : { household: i.household }),
      }));
      const answer = await call(auth, "POST", `/v1/campaigns/${auth.campaign}/deliveries`, { items });
      if (answer.status === 422) {
        const body = await answer.json();
        await S.putMany("outbox", chunk.map((i) => settle(i, "rejected", body.message, null, body.code)));
        continue;
      }
      if (!answer.ok) throw new Error(`status ${answer.status}`);
      const byId = new Map(chunk.map((i) => [i.id, i]));
      const body = await answer.json();
      await S.putMany("outbox", body.items.map((r) => settle(byId.get(r.delivery_id), r.status, r.reason, r.original, r.code)));
    }
  }

  // Movements go in batches like deliveries, answered per reference.
  async function pushMovements(auth, pending) {
    if (!pending.length) return;
    const path = `/v1/operations/${auth.campaign}/sites/${auth.committee}/movements`;
    const answer = await call(auth, "POST", path, { items: pending.map((i) => i.body) });
    if (answer.status >= 500) throw new Error(`status ${answer.status}`);
    const body = await answer.json();
    if (!answer.ok) return S.putMany("outbox", pending.map((i) => settle(i, "rejected", body.message, null, body.code)));
    const byRef = new Map(pending.map((i) => [i.body.reference, i]));
    await S.putMany("outbox", body.items.map((r) => settle(byRef.get(r.reference), r.status, r.reason, r.original, r.code)));
  }

  // One request per item, in the order made (a case is opened before it is referred).
  async function pushSingle(auth, item) {
    const answer = await call(auth, "POST", `${base(auth)}${item.path}`, item.body);
    if (answer.status >= 500) throw new Error(`status ${answer.status}`);
    const body = await answer.json();
    const status = answer.status === 201 ? "recorded" : answer.ok ? "duplicate" : "rejected";
    await S.put("outbox", settle(item, status, answer.ok ? body.reason : body.message, null,
      body.code));
  }

  const base = (auth) => (auth.mode === "site"
    ? `/v1/operations/${auth.campaign}/sites/${auth.committee}` : `/v1/campaigns/${auth.campaign}`);
  const BATCHED = new Set(["delivery", "movement"]);

  async function pullList(auth) {
    const since = (await S.get("meta", "since")) || 0;
    const path = `/v1/campaigns/${auth.campaign}/committees/${auth.committee}/list?since=${since}`;
    const answer = await call(auth, "GET", path);
    if (!answer.ok) throw new Error(`status ${answer.status}`);
    const body = await answer.json();
    if (since === 0) await S.clear("entries");
    await S.putMany("entries", body.entries.map(([voucher, size, served]) => ({ voucher, size, served_by: served })));
    await S.removeMany("entries", body.removed);
    await S.put("meta", body.position, "since");
  }

  async function pullStock(auth) {
    const answer = await call(auth, "GET", `/v1/campaigns/${auth.campaign}/totals`);
    if (!answer.ok) return;
    const mine = (await answer.json()).committee_totals.find((c) => c.code === auth.committee);
    if (mine) await S.put("meta", mine.kits_in_stock, "stock");
  }

  async function once() {
    const auth = await S.get("meta", "auth");
    if (!auth) return;
    const outbox = await S.all("outbox");
    const pending = outbox.filter((i) => i.state === "pending").sort((a, b) => a.seq - b.seq);
    await pushDeliveries(auth, pending.filter((i) => i.kind === "delivery"));
    await pushMovements(auth, pending.filter((i) => i.kind === "movement"));
    for (const item of pending.filter((i) => !BATCHED.has(i.kind))) await pushSingle(auth, item);
    if ((auth.mode || "committee") === "committee") {
      await pullList(auth);
      await pullStock(auth);
    }
    await S.put("meta", new Date().toISOString(), "synced");
  }

  // One sync at a time; a request made during one waits for it and reports its outcome.
  function now() {
    if (!running) running = once().finally(() => { running = null; });
    return running;
  }

  return { now, call, base, busy: () => running !== null };
})();
