// Keeps the app's shell so it opens with no network: answer from the cache at once,
// refresh the copy when the network allows. Data (list, outbox) lives in IndexedDB, not here.
"use strict";

const CACHE = "tadamon-field-v5";
const SHELL = [
  "/field/", "/field/field.css", "/field/field.js", "/field/field-store.js",
  "/field/field-sync.js", "/field/field-scan.js", "/field/field-site.js",
  "/field/field-donations.js", "/field/manifest.webmanifest",
  "/field/icon.svg", "/static/i18n.js", "/static/vendor/jsqr/jsQR.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !SHELL.includes(url.pathname)) return;  // API: network
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const kept = await cache.match(url.pathname);
    const fresh = fetch(event.request).then((answer) => {
      if (answer.ok) cache.put(url.pathname, answer.clone());
      return answer;
    });
    if (kept) { fresh.catch(() => null); return kept; }
    return fresh;
  }));
});
