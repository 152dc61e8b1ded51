// The schedules page: the picker shows only the inputs of the chosen
// repeat (every input stays in the form, so the page works without
// this script), and deleting asks first; on the alerts page choosing
// the report reloads the form with that report's figures and rows.
(function () {
  function sync(form) {
    var repeat = form.querySelector("select[name=repeat]");
    if (!repeat) return;
    form.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when.split(" ").indexOf(repeat.value) < 0;
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[name=repeat]")) sync(e.target.form);
    if (e.target.matches("select[data-submit]")) e.target.form.submit(); // the alert form's report: its figures
  });
  document.addEventListener("submit", function (e) {
    var ask = e.target.dataset && e.target.dataset.confirm;
    if (ask && !window.confirm(ask)) e.preventDefault();
  });
  function init() { document.querySelectorAll("form.sch-form").forEach(sync); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
