// Chibo's service worker, served as /sw.js by chibo/pwa.py (which fills in the three values
// below). It keeps static files and the offline page on the phone, and nothing else: pages
// are always asked of the server, since a signed-in page may carry personal data and is sent
// `Cache-Control: no-store`. When a page cannot be loaded, the offline page is shown instead.
"use strict";
var VERSION = "__CHIBO_VERSION__";
var PRECACHE = "__CHIBO_PRECACHE__";
var OFFLINE = "__CHIBO_OFFLINE__";
var CACHE = "chibo-static-" + VERSION;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(PRECACHE.concat([new Request(OFFLINE, {credentials: "same-origin"})]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf("chibo-") === 0 && k !== CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // writes always go to the server
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // Network only; the offline page when the network is down.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE); });
      })
    );
    return;
  }
  if (isStatic(url)) {
    // Static files are the same for everyone: the kept copy first, else the network (kept).
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            var noStore = /no-store/.test(response.headers.get("Cache-Control") || "");
            if (response.ok && !noStore) { cache.put(request, response.clone()); }
            return response;
          });
        });
      })
    );
  }
  // Anything else (htmx fragments, JSON, downloads): straight to the server, never kept.
});
