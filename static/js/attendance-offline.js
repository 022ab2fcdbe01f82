// The installable app and the attendance sheet that survives a dropped connection
// (docs/offline.md). Loaded on every page (templates/base.html) and by the offline page.
//
// 1. Registers the service worker (/sw.js, chibo/pwa.py).
// 2. On the attendance sheet ([data-att-sync]), every change of a row is put in a queue in
//    localStorage, then the queue is sent to the server in order. A change that cannot be
//    sent (no network, server down) stays in the queue, its row says so in words, and a
//    banner counts the unsent marks; the queue is sent again when the network is back, every
//    20 seconds, and when any page of the site is opened. Each mark carries its own id and the
//    time it was made: the server applies an id once and keeps the later of two marks
//    (meetings.services.sync_attendance), so sending twice doubles nothing.
// The queue holds only the member's uuid, the mark and its reason: no names.
(function () {
  "use strict";
  var PREFIX = "chibo-att:";
  var RETRY_MS = 20000;

  // ---- 1. service worker ----------------------------------------------------------------
  var swMeta = document.querySelector('meta[name="chibo-sw"]');
  if (swMeta && "serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(swMeta.content, {scope: "/"}).catch(function () {});
  }

  // ---- the queue in localStorage, one key per user and meeting ---------------------------
  function userId() {
    var m = document.querySelector('meta[name="chibo-user"]');
    return m ? m.content : "";
  }
  function load(key) {
    try {
      var q = JSON.parse(localStorage.getItem(key) || "null");
      return q && Array.isArray(q.marks) ? q : null;
    } catch (e) { return null; }
  }
  function save(key, q) {
    try {
      if (q.marks.length) { localStorage.setItem(key, JSON.stringify(q)); } else { localStorage.removeItem(key); }
    } catch (e) { /* storage full or refused: the mark is still sent if the network allows */ }
  }
  function keys(prefix) {
    var out = [];
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i);
      if (k && k.indexOf(prefix) === 0) { out.push(k); }
    }
    return out;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrfToken() {
    var i = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return i ? i.value : "";
  }

  // Sends one queue; calls done(kind, data) with kind "ok" (data: the answer), "offline",
  // "signin" (the session ended: the answer is the login page) or "failed" (kept, retried).
  var inFlight = {};
  function send(key, done) {
    var q = load(key);
    if (!q || !q.marks.length) { done("ok", null); return; }
    if (inFlight[key]) { done("busy", null); return; }
    if (navigator.onLine === false) { done("offline", null); return; }
    var batch = q.marks.slice();
    inFlight[key] = true;
    fetch(q.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json"},
      body: JSON.stringify({sent_at: Date.now(), marks: batch})
    }).then(function (res) {
      if (res.type === "opaqueredirect") { throw {kind: "signin"}; }
      if (!res.ok) { throw {kind: "failed"}; }
      return res.json();
    }).then(function (data) {
      // Every mark answered leaves the queue, whatever its outcome; marks made meanwhile stay.
      var answered = {};
      data.results.forEach(function (r) { answered[r.id] = true; });
      var now = load(key) || {url: q.url, marks: []};
      now.marks = now.marks.filter(function (m) { return !answered[m.id]; });
      save(key, now);
      inFlight[key] = false;
      done("ok", data);
    }).catch(function (e) {
      inFlight[key] = false;
      done(e && e.kind ? e.kind : "offline", null);
    });
  }

  // ---- 2. the attendance sheet -----------------------------------------------------------
  function bindSheet(list) {
    var key = PREFIX + userId() + ":" + list.getAttribute("data-att-meeting");
    var url = list.getAttribute("data-att-sync");
    var banner = document.getElementById("att-queue");
    var problem = "";
    var again = false;
    var timer = null;

    function text(name) { return list.getAttribute("data-text-" + name) || ""; }
    function rowOf(member) {
      return list.querySelector('[data-att-member="' + member + '"]');
    }
    function setState(row, kind, message) {
      var p = row.querySelector("[data-att-state]");
      if (!p) { return; }
      p.className = "att-state att-" + kind;
      p.textContent = message;
      p.hidden = !message;
      if (kind === "refused") { p.setAttribute("role", "alert"); } else { p.removeAttribute("role"); }
    }
    function setInputs(row, status, reason) {
      row.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = r.value === status; });
      var t = row.querySelector(".att-reason");
      if (t) { t.value = reason || ""; }
    }
    function showQueue() {
      var q = load(key);
      var n = q ? q.marks.length : 0;
      if (!banner) { return; }
      var msg = "";
      if (problem === "signin") { msg = text("signin"); } else if (n) {
        msg = text("queue").replace("%(n)s", n);
        if (problem === "failed") { msg += " " + text("failed"); }
      }
      banner.textContent = msg;
      banner.hidden = !msg;
      banner.setAttribute("data-count", String(n));
      if (n && !timer) { timer = window.setInterval(flush, RETRY_MS); }
      if (!n && timer) { window.clearInterval(timer); timer = null; }
    }
    function markPending() {
      var q = load(key);
      (q ? q.marks : []).forEach(function (m) {
        var row = rowOf(m.member);
        if (row) { setState(row, "pending", text("pending")); }
      });
    }
    function applyAnswer(data) {
      var q = load(key);
      var waiting = {};
      (q ? q.marks : []).forEach(function (m) { waiting[m.member] = true; });
      data.results.forEach(function (r) {
        var row = rowOf(r.member);
        if (!row || waiting[r.member]) { return; }  // a newer mark of this row is still queued
        if (r.outcome === "refused") {
          setState(row, "refused", r.message);
        } else if (r.outcome === "stale") {
          setInputs(row, r.status, r.reason);
          setState(row, "stale", text("stale"));
        } else {
          setState(row, "saved", text("saved"));
        }
      });
      if (data.summary_html) {
        var old = document.getElementById("att-summary");
        var t = document.createElement("template");
        t.innerHTML = data.summary_html.trim();
        if (old && t.content.firstElementChild) { old.replaceWith(t.content.firstElementChild); }
      }
    }
    function flush() {
      send(key, function (kind, data) {
        if (kind === "busy") { again = true; return; }
        problem = kind === "ok" ? "" : kind;
        if (data) { applyAnswer(data); }
        markPending();
        showQueue();
        if (again && kind === "ok") { again = false; flush(); }
      });
    }

    list.addEventListener("change", function (e) {
      var row = e.target.closest("[data-att-member]");
      if (!row) { return; }
      var checked = row.querySelector('input[type="radio"]:checked');
      var reason = row.querySelector(".att-reason");
      var mark = {
        id: newId(),
        member: row.getAttribute("data-att-member"),
        status: checked ? checked.value : "",
        reason: reason ? reason.value : "",
        at: Date.now()
      };
      var q = load(key) || {url: url, marks: []};
      q.url = url;
      // One unsent mark per member: the newer replaces it (a mark already on its way stays
      // and is answered; the newer one, made later, then wins on the server).
      q.marks = q.marks.filter(function (m) { return m.member !== mark.member || inFlight[key]; });
      q.marks.push(mark);
      save(key, q);
      setState(row, "pending", navigator.onLine === false ? text("pending") : text("sending"));
      showQueue();
      flush();
    });

    // Marks kept from before a reload: the row shows what is waiting, not the server's value.
    var kept = load(key);
    (kept ? kept.marks : []).forEach(function (m) {
      var row = rowOf(m.member);
      if (row) { setInputs(row, m.status, m.reason); }
    });
    markPending();
    showQueue();
    window.addEventListener("online", flush);
    flush();
    return key;
  }

  // ---- other pages: send any queue this user left behind ---------------------------------
  function flushOthers(except) {
    var user = userId();
    if (!user) { return; }
    keys(PREFIX + user + ":").forEach(function (k) {
      if (k !== except) { send(k, function () {}); }
    });
  }

  // ---- the offline page ------------------------------------------------------------------
  function bindOfflinePage(main) {
    var box = main.querySelector("[data-offline-queue]");
    var n = 0;
    keys(PREFIX).forEach(function (k) { var q = load(k); n += q ? q.marks.length : 0; });
    if (box && n) {
      box.textContent = box.getAttribute("data-text").replace("%(n)s", n);
      box.hidden = false;
    }
    main.addEventListener("click", function (e) {
      if (e.target.closest("[data-reload]")) { window.location.reload(); }
    });
    // Back online: open the page again, a moment later (a connection that just returned
    // often fails its first request); while the phone says it is online but the server was
    // not reached, try again every 15 seconds.
    window.addEventListener("online", function () { window.setTimeout(function () { window.location.reload(); }, 1000); });
    window.setInterval(function () {
      if (navigator.onLine !== false) { window.location.reload(); }
    }, 15000);
  }

  function start() {
    var list = document.querySelector("[data-att-sync]");
    var own = list ? bindSheet(list) : null;
    flushOthers(own);
    window.addEventListener("online", function () { flushOthers(own); });
    var offline = document.querySelector("[data-offline-page]");
    if (offline) { bindOfflinePage(offline); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
