// Site mode (reception sites): record a movement, open, refer and close an assistance
// case, each through the same outbox and answers as the committee's deliveries.
"use strict";

window.FieldSite = function (app) {
  const $ = (id) => document.getElementById(id);
  const DESTINATIONS = ["moh_hospital", "other_hospital", "consulate", "social_services", "local_authority", "other"];
  const checked = (name) => document.querySelector(`input[name="${name}"]:checked`).value;
  const reference = (typed) => `${typed.toUpperCase().replace(/[^A-Z0-9.:-]/g, "")}-${new Date().toISOString().slice(0, 10)}`;

  // The same crossing tapped twice must be the same facts, so that the ledger answers
  // "already recorded" rather than refusing a reference used with another time.
  function firstTime(body) {
    const key = `tadamon.crossing.${body.reference}|${body.direction}|${body.mode}|${body.travellers}`;
    const seen = localStorage.getItem(key);
    if (seen) return seen;
    const now = new Date().toISOString();
    localStorage.setItem(key, now);
    return now;
  }

  async function recordMovement(event) {
    event.preventDefault();
    const body = {
      reference: reference($("in-flight").value), direction: checked("direction"), mode: checked("transport"),
      travellers: Number($("in-travellers").value),
    };
    body.moved_at = firstTime(body);
    $("movement").reset();
    await app.queue({ kind: "movement", body });
  }

  async function openCase(event) {
    event.preventDefault();
    const id = crypto.randomUUID();
    const body = { case_id: id, category: $("in-category").value, people: Number($("in-people").value), opened_at: new Date().toISOString() };
    await app.queue({ kind: "case-open", case_id: id, path: "/cases", body });
  }

  const caseStep = (id, step, body) => app.queue({ kind: `case-${step}`, case_id: id, path: `/cases/${id}/${step === "refer" ? "referral" : "closure"}`, body });

  function actions(item) {
    const box = document.createElement("div");
    box.className = "case-actions";
    const where = document.createElement("select");
    where.className = "destination";
    where.append(...DESTINATIONS.map((d) => new Option(app.t(`f_dest_${d}`), d)));
    const refer = document.createElement("button");
    refer.className = "refer";
    refer.textContent = app.t("f_refer");
    refer.addEventListener("click", () => caseStep(item.case_id, "refer", { destination: where.value }));
    const close = document.createElement("button");
    close.className = "close";
    close.textContent = app.t("f_close_case");
    close.addEventListener("click", () => caseStep(item.case_id, "close", { reason: "assistance completed" }));
    box.append(where, refer, close);
    return box;
  }

  function describe(item, outbox) {
    const short = (item.case_id || "").slice(0, 8);
    if (item.kind === "movement") {
      const b = item.body;
      return app.t("f_what_movement", { direction: app.t(`f_${b.direction}`), mode: app.t(`f_${b.mode}`), ref: b.reference, n: app.number(b.travellers) });
    }
    if (item.kind === "case-open") {
      return app.t("f_what_open", { id: short, category: app.t(`f_cat_${item.body.category}`), people: app.number(item.body.people) });
    }
    if (item.kind === "case-refer") return app.t("f_what_refer", { id: short, destination: app.t(`f_dest_${item.body.destination}`) });
    return app.t("f_what_close", { id: short });
  }

  function render(outbox) {
    const closed = new Set(outbox.filter((i) => i.kind === "case-close" && i.state !== "rejected").map((i) => i.case_id));
    const open = outbox.filter((i) => i.kind === "case-open" && i.state !== "rejected" && !closed.has(i.case_id));
    $("cases").replaceChildren(...open.map((item) => {
      const li = document.createElement("li");
      li.dataset.case = item.case_id;
      li.textContent = describe(item, outbox);
      li.append(actions(item));
      return li;
    }));
  }

  function wire() {
    $("movement").addEventListener("submit", recordMovement);
    $("case").addEventListener("submit", openCase);
  }

  return { wire, render, describe, handles: (kind) => kind === "movement" || kind.startsWith("case-") };
};
