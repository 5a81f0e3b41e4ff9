// An admin prints a phone's sign-in QR: the committee's (or site's) own token, never the admin's.
"use strict";

(function () {
  const I18N = window.TADAMON_I18N;
  const $ = (id) => document.getElementById(id);
  const wanted = new URLSearchParams(location.search).get("lang");
  const lang = I18N[wanted] ? wanted : "ar";
  document.documentElement.lang = lang;
  document.documentElement.dir = I18N[lang].dir;
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = I18N[lang][el.dataset.t]; });
  $("in-mode").addEventListener("change", () => { document.body.dataset.mode = $("in-mode").value; });

  $("make").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("error").hidden = true;
    const body = { mode: $("in-mode").value, scope: $("in-scope").value.trim(), unit: $("in-unit").value.trim() };
    const answer = await fetch("/v1/field/sign-in", {
      method: "POST", body: JSON.stringify(body),
      headers: { Authorization: `Bearer ${$("in-token").value.trim()}`, "Content-Type": "application/json" },
    });
    if (!answer.ok) {
      $("error").textContent = I18N[lang].f_bad_token;
      $("error").hidden = false;
      return;
    }
    $("qr").src = (await answer.json()).qr;
    $("sheet-unit").textContent = `${body.scope} · ${body.unit}`;
    $("make").hidden = true;
    $("sheet").hidden = false;
    document.body.dataset.ready = "yes";
  });
})();
