// Behaviour that would otherwise need inline script, which the CSP forbids.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var msg = form.getAttribute && form.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    ev.preventDefault();
  }
}, true);

// [data-print] buttons print the page (the letter view); the print stylesheet does the rest.
document.addEventListener("click", function (ev) {
  var btn = ev.target && ev.target.closest && ev.target.closest("[data-print]");
  if (btn) {
    ev.preventDefault();
    window.print();
  }
});

// [data-open-details] links point at a folded <details> section (an honour's correction
// forms): open it before the browser scrolls there.
document.addEventListener("click", function (ev) {
  var a = ev.target && ev.target.closest && ev.target.closest("a[data-open-details]");
  var target = a && document.getElementById(a.getAttribute("href").slice(1));
  if (target && target.tagName === "DETAILS") {
    target.open = true;
  }
});
