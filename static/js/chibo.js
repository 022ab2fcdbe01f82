// Small behaviours without inline script (the CSP forbids it).
(function () {
  "use strict";
  var KEY = "chibo-large-type";
  function applyLargeType() {
    document.documentElement.classList.toggle("large-type", localStorage.getItem(KEY) === "1");
  }
  applyLargeType();
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-toggle-large-type]");
    if (t) {
      localStorage.setItem(KEY, localStorage.getItem(KEY) === "1" ? "0" : "1");
      applyLargeType();
    }
    var c = e.target.closest("[data-confirm]");
    if (c && !window.confirm(c.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });
  // htmx leaves the page as it was when an answer is an error or never comes: say so, in the
  // words base.html carries (translated), instead of a click that seems to do nothing.
  function problem(kind) {
    var box = document.getElementById("request-problem");
    if (!box) { return; }
    box.querySelector("li").textContent = box.getAttribute("data-" + kind);
    box.hidden = false;
    box.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 503) { problem("unavailable"); } else if (status >= 500) { problem("error"); }
  });
  document.addEventListener("htmx:sendError", function () { problem("offline"); });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-problem");
    if (box) { box.hidden = true; }
  });
  // Export buttons and filter forms: auto-submit selects marked data-autosubmit.
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) { e.target.form.requestSubmit(); }
  });
})();
