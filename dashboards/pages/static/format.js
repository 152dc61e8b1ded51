// Voronka chart values in the reader's language, by the rules of
// internal/i18n/format.go: Russian `1 234 567,89 ₽` (no-break spaces,
// a decimal comma), `9,4 %`; English `1,234,567.89 ₽`, `9.4%`; a minus
// sign `−`. The server marks an option with `voronka: {lang, series}`
// (each series' value type: money, integer, number, percent);
// voronkaFormat puts formatters on its value axes, tooltip and labels.
(function () {
  var nbsp = "\u00a0";
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // digits is x with dec decimals (half away from zero), grouped.
  function digits(ru, x, dec, trim) {
    var p = Math.pow(10, dec);
    var s = (Math.floor(Math.abs(x) * p + 0.5) / p).toFixed(dec);
    if (trim && s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    var parts = s.split(".");
    var out = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ru ? nbsp : ",");
    if (parts.length > 1) out += (ru ? "," : ".") + parts[1];
    return x < 0 && /[1-9]/.test(s) ? "\u2212" + out : out;
  }
  // value is one figure of a type; short drops a money's kopecks (axes).
  function value(ru, type, x, short) {
    if (Array.isArray(x)) x = x[x.length - 1]; // a heatmap cell [x, y, value]
    if (x === null || x === undefined || x === "" || isNaN(Number(x))) return "—";
    x = Number(x);
    switch (type) {
      case "money": return digits(ru, x, short ? 0 : 2) + nbsp + "₽";
      case "percent": return digits(ru, x * 100, 1) + (ru ? nbsp + "%" : "%");
      case "integer": return digits(ru, x, 0);
    }
    return digits(ru, x, 2, true);
  }
  function list(v) { return v == null ? [] : Array.isArray(v) ? v : [v]; }
  function format(option) {
    var f = option && option.voronka;
    if (!f) return option;
    delete option.voronka;
    var ru = f.lang !== "en", types = f.series || [];
    var series = list(option.series);
    var typeOf = function (i) { return types[i] || types[0] || "number"; };
    ["xAxis", "yAxis"].forEach(function (key) {
      list(option[key]).forEach(function (axis, i) {
        if (!axis) return;
        if (axis.type !== "value" && !(key === "yAxis" && !axis.type && !axis.data)) return;
        var on = 0;
        series.forEach(function (s, n) { if ((s[key + "Index"] || 0) === i && on === 0) on = n; });
        if (typeOf(on) === "integer") axis.minInterval = 1; // no 0,5 deal between ticks
        axis.axisLabel = axis.axisLabel || {};
        axis.axisLabel.formatter = function (v) { return value(ru, typeOf(on), v, true); };
      });
    });
    option.tooltip = option.tooltip || {};
    option.tooltip.formatter = function (params) {
      if (!Array.isArray(params)) {
        var line = esc(params.name) + ": " + esc(value(ru, typeOf(params.seriesIndex), params.value));
        if (params.percent !== undefined) line += " (" + digits(ru, params.percent, 1) + (ru ? nbsp + "%" : "%") + ")";
        return (params.marker || "") + line;
      }
      var out = params.length ? esc(params[0].axisValueLabel || params[0].name) : "";
      params.forEach(function (p) {
        out += "<br>" + (p.marker || "") + esc(p.seriesName) + ": " + esc(value(ru, typeOf(p.seriesIndex), p.value));
      });
      return out;
    };
    series.forEach(function (s, n) {
      if (s.label && typeof s.label.formatter === "string" && s.label.formatter.indexOf("{c}") >= 0) {
        s.label.formatter = function (p) { return p.name + ": " + value(ru, typeOf(n), p.value); };
      } else if (s.label && s.label.show && !s.label.formatter && (s.type === "bar" || s.type === "line")) {
        // a bar's own figure (a leaderboard's, a plan-fact's), kopecks left out
        s.label.formatter = function (p) { return value(ru, typeOf(n), p.value, true); };
      }
    });
    return option;
  }
  window.voronkaFormat = format;
  window.voronkaValue = value; // (ru, type, x, short): the plan page's totals and imports
})();
