// Small behaviours without inline script (the CSP forbids it).
(function () {
  "use strict";
  // The reader's display choices for older eyes: a class on <html>, kept in localStorage, and
  // the toggle buttons in the footer say whether they are on (aria-pressed).
  var DISPLAY = [
    {key: "chibo-large-type", cls: "large-type", button: "[data-toggle-large-type]"},
    {key: "chibo-high-contrast", cls: "high-contrast", button: "[data-toggle-high-contrast]"}
  ];
  function applyDisplay() {
    DISPLAY.forEach(function (d) {
      var on = localStorage.getItem(d.key) === "1";
      document.documentElement.classList.toggle(d.cls, on);
      document.querySelectorAll(d.button).forEach(function (b) {
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
  }
  applyDisplay();
  document.addEventListener("DOMContentLoaded", applyDisplay);  // the buttons exist by then
  document.addEventListener("click", function (e) {
    DISPLAY.forEach(function (d) {
      if (e.target.closest(d.button)) {
        localStorage.setItem(d.key, localStorage.getItem(d.key) === "1" ? "0" : "1");
        applyDisplay();
      }
    });
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
