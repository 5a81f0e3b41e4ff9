// Donations mode: an in-kind gift with its lines, and a dispatch from the store. Online
// only: each form is sent at once and its answer (or the field at fault) said in words.
"use strict";

window.FieldDonations = function (app) {
  const $ = (id) => document.getElementById(id);
  const GIFT_LINE = ["item", "category", "description", "quantity", "unit", "value_mad"];
  const DISPATCH_LINE = ["item", "quantity"];
  const stamps = new Map();  // a receipt or note sent again keeps its first time: counted once
  const stamp = (key) => { if (!stamps.has(key)) stamps.set(key, new Date().toISOString()); return stamps.get(key); };

  function addLine(form, fields) {
    const box = document.createElement("fieldset");
    box.className = "line";
    for (const name of fields) {
      const label = document.createElement("label");
      const words = document.createElement("span");
      words.dataset.t = `f_line_${name}`;  // the language picker rewrites it
      words.textContent = app.t(words.dataset.t);
      const input = document.createElement("input");
      input.name = name;
      input.required = name !== "value_mad";
      input.autocomplete = "off";
      if (name === "quantity" || name === "value_mad") input.inputMode = "decimal";
      label.append(words, input);
      box.append(label);
    }
    form.querySelector(".lines").append(box);
  }

  const lines = (form) => [...form.querySelectorAll("fieldset.line")].map((box) => {
    const line = {};
    box.querySelectorAll("input").forEach((i) => { if (i.value.trim()) line[i.name] = i.value.trim(); });
    return line;  // amounts and quantities stay strings: the server reads them exactly
  });

  function say(state, words) {
    $("don-answer").dataset.state = state;
    $("don-answer").textContent = state === "rejected"
      ? app.t("f_refused_as", { state: app.t("f_state_rejected"), words }) : app.t(`f_state_${state}`);
  }

  async function send(path, body) {
    if (!navigator.onLine) return say("rejected", app.t("f_online_only"));
    try {
      const answer = await window.FieldSync.call(app.auth(), "POST", path, body);
      const reply = await answer.json();
      if (answer.status === 202) return say("held");  // kept until its month is un-approved
      if (answer.ok) return say(answer.status === 201 ? "recorded" : "duplicate");
      const field = (reply.fields && reply.fields[0]) || {};
      say("rejected", field.field ? `${field.field}: ${field.reason}` : reply.message);
    } catch (error) {
      say("rejected", error.message === "auth" ? app.t("f_bad_token") : app.t("f_online_only"));
    }
  }

  function gift(event) {
    event.preventDefault();
    const receipt = $("in-receipt").value.trim();
    send("/v1/donations/in-kind", {
      donor: $("in-donor").value.trim(), receipt, store: app.auth().campaign,
      received_at: stamp(`gift:${receipt}`), lines: lines($("gift")),
    });
  }

  function dispatch(event) {
    event.preventDefault();
    const note = $("in-dispatch").value.trim();
    send(`/v1/stores/${app.auth().campaign}/dispatches`, {
      dispatch: note, recipient: $("in-recipient").value.trim(),
      recipient_kind: $("in-recipient-kind").value, recipient_name: $("in-recipient-name").value.trim(),
      dispatched_at: stamp(`dispatch:${note}`), lines: lines($("dispatch")),
    });
  }

  function wire() {
    for (const [form, fields, submit] of [[$("gift"), GIFT_LINE, gift], [$("dispatch"), DISPATCH_LINE, dispatch]]) {
      addLine(form, fields);
      form.querySelector(".add-line").addEventListener("click", () => addLine(form, fields));
      form.addEventListener("submit", submit);
    }
  }

  return { wire };
};
