// The phone's storage (IndexedDB): meta (sign-in, list position, totals), the committee's
// list entries by voucher, and the outbox of deliveries and reversals made on this phone.
"use strict";

window.FieldStore = (function () {
  let opened = null;

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function open() {
    if (!opened) {
      const req = indexedDB.open("tadamon-field", 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("meta");
        req.result.createObjectStore("entries", { keyPath: "voucher" });
        req.result.createObjectStore("outbox", { keyPath: "id" });
      };
      opened = request(req);
    }
    return opened;
  }

  async function write(store, work) {
    const db = await open();
    const tx = db.transaction(store, "readwrite");
    work(tx.objectStore(store));
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  async function read(store, how, key) {
    const db = await open();
    return request(db.transaction(store).objectStore(store)[how](key));
  }

  return {
    get: (store, key) => read(store, "get", key),
    all: (store) => read(store, "getAll"),
    put: (store, value, key) => write(store, (s) => (key === undefined ? s.put(value) : s.put(value, key))),
    putMany: (store, values) => write(store, (s) => values.forEach((v) => s.put(v))),
    removeMany: (store, keys) => write(store, (s) => keys.forEach((k) => s.delete(k))),
    clear: (store) => write(store, (s) => s.clear()),
  };
})();
