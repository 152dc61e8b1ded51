// Voronka dashboards: draws every chart whose ECharts option the server
// rendered into data-option. ECharts itself is served by Voronka.
(function () {
  document.addEventListener("change", function (e) {
    if (!e.target.matches("select[data-autosubmit]")) return;
    e.target.form.querySelectorAll("select:not([data-autosubmit])").forEach(function (s) { s.value = ""; });
    e.target.form.submit();
  });
  // A filter row's field or operator decides its operators and value
  // input: redraw the form (no preview) when either changes.
  document.addEventListener("change", function (e) {
    if (!e.target.matches("select[data-refresh]")) return;
    var refresh = document.createElement("input");
    refresh.type = "hidden";
    refresh.name = "refresh";
    refresh.value = "1";
    e.target.form.appendChild(refresh);
    e.target.form.submit();
  });
  // A pivot cannot hold a comparison: the builder's comparison choice
  // is off while the pivot is on, and says why.
  document.addEventListener("change", function (e) {
    if (!e.target.matches("#builder input[name=pivot]")) return;
    var choice = e.target.form.querySelector("select[name=compare]"), off = document.getElementById("compare-off");
    if (!choice) return;
    choice.disabled = e.target.checked;
    if (e.target.checked) choice.value = "";
    if (off) off.hidden = !e.target.checked;
  });
  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      var chart = echarts.init(el, null, { renderer: "canvas" });
      var option = JSON.parse(el.dataset.option);
      chart.setOption(window.voronkaFormat ? window.voronkaFormat(option) : option); // static/format.js
      // A chart element whose data item names its drill page (the
      // funnel's steps) opens the deals behind its number.
      chart.on("click", function (p) {
        if (p.data && typeof p.data.drill === "string" && p.data.drill.indexOf("/drill?") === 0) window.location.href = p.data.drill;
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
    document.body.dataset.charts = "ready";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
