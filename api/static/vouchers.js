// A committee's voucher sheet: one card per household with its QR code, code and size.
// Reads #campaign=…&committee=…&token=… once; every word comes from i18n.js, in all
// three languages on each card, the page itself in the language of ?lang= (Arabic first).
"use strict";

(function () {
  const I18N = window.TADAMON_I18N;
  const TOKEN_KEY = "tadamon.token";
  const LANGS = ["ar", "fr", "en"];
  const fragment = new URLSearchParams(location.hash.slice(1));
  const wanted = new URLSearchParams(location.search).get("lang");
  const lang = I18N[wanted] ? wanted : "ar";
  const $ = (id) => document.getElementById(id);

  function labelled(key) {
    const list = document.createElement("ul");
    list.className = "labels";
    for (const code of LANGS) {
      const item = document.createElement("li");
      item.lang = code;
      item.textContent = I18N[code][key];
      list.append(item);
    }
    return list;
  }

  function card(entry) {
    const box = document.createElement("section");
    box.className = "card";
    box.dataset.voucher = entry.voucher;
    const qr = document.createElement("img");
    qr.src = entry.qr;
    qr.alt = entry.printed;
    const text = document.createElement("div");
    const code = document.createElement("p");
    code.className = "code";
    code.textContent = entry.printed;
    const size = document.createElement("p");
    size.className = "size";
    size.textContent = new Intl.NumberFormat(I18N[lang].locale).format(entry.household_size);
    text.append(labelled("sheet_voucher"), code, labelled("sheet_size"), size);
    const hint = labelled("sheet_hint");
    hint.classList.add("hint");
    box.append(qr, text, hint);
    return box;
  }

  async function load() {
    document.documentElement.lang = lang;
    document.documentElement.dir = I18N[lang].dir || "ltr";
    for (const node of document.querySelectorAll("[data-word]")) {
      node.textContent = I18N[lang][node.dataset.word];
    }
    if (fragment.get("token")) sessionStorage.setItem(TOKEN_KEY, fragment.get("token"));
    const campaign = encodeURIComponent(fragment.get("campaign") || "");
    const committee = encodeURIComponent(fragment.get("committee") || "");
    const answer = await fetch(`/v1/campaigns/${campaign}/committees/${committee}/vouchers`, {
      headers: { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY) },
    });
    const body = await answer.json();
    if (!answer.ok) {
      $("error").hidden = false;
      $("error").textContent = body.message;
      return;
    }
    $("committee").textContent = body.committee_name;
    $("count").textContent = String(body.entries.length);
    $("cards").replaceChildren(...body.entries.map(card));
    document.body.dataset.ready = "yes";
  }

  load();
})();
