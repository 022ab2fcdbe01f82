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
  // Export buttons and filter forms: auto-submit selects marked data-autosubmit.
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) { e.target.form.requestSubmit(); }
  });
})();
