// The plan page (templates/plans.html): the team's totals as you type;
// Save sends the whole table through PUT /api/v1/plans/batch (all or
// nothing; a refused cell shows the server's message beside it); Copy
// last month fills the inputs from GET /api/v1/plans (nothing saved
// until Save); Import sends a file to POST /api/v1/plans/import and
// shows what it set or every problem. Figures in the reader's format
// (static/format.js).
(function () {
  var cfgEl = document.getElementById("plans-config");
  var table = document.getElementById("plans-table");
  if (!cfgEl || !table) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var ru = cfg.lang !== "en", T = cfg.texts, nbsp = "\u00a0";
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-edit]"));
  var status = document.getElementById("plans-status");

  function fmt(s) {
    var args = Array.prototype.slice.call(arguments, 1), i = 0;
    return s.replace(/%s/g, function () { return args[i++]; });
  }
  function integer(n) { return window.voronkaValue(ru, "integer", n); }
  // figure is a plan value ("1234567.8", 1234567.8) as the inputs show
  // it: 1 234 567,80 (exact, from its digits).
  function figure(m, v) {
    var parts = String(v).split("."), out = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ru ? nbsp : ",");
    return m.money ? out + (ru ? "," : ".") + ((parts[1] || "") + "00").slice(0, 2) : out;
  }
  function input(tr, m) { return tr.querySelector("input[name=" + m.key + "]"); }
  function query(extra) {
    var q = "?lang=" + encodeURIComponent(cfg.lang) + "&month=" + encodeURIComponent(extra.month || cfg.month);
    if (cfg.pipeline) q += "&pipeline=" + encodeURIComponent(cfg.pipeline);
    return q;
  }
  function call(method, url, body, json) {
    var headers = { "X-CSRF-Token": cfg.csrf };
    if (json) headers["Content-Type"] = "application/json";
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    });
  }
  function say(el, text, ok) {
    el.textContent = text;
    el.className = ok === undefined ? "" : ok ? "ok" : "bad";
  }

  // parse reads a typed figure: 1 500 000, 1500000,50, 1,500,000.50.
  function parse(text, money) {
    var s = String(text).replace(/[\s\u00a0\u202f\u2009']/g, "").replace(/\u2212/g, "-").replace(/(₽|руб\.?|р\.)$/i, "");
    if (s === "") return { empty: true };
    var dot = s.lastIndexOf("."), comma = s.lastIndexOf(","), commas = (s.match(/,/g) || []).length;
    if (dot >= 0 && comma >= 0) s = comma > dot ? s.slice(0, comma).replace(/\./g, "") + "." + s.slice(comma + 1) : s.replace(/,/g, "");
    else if (commas === 1) s = s.replace(",", ".");
    else if (commas > 1) s = s.replace(/,/g, "");
    else if ((s.match(/\./g) || []).length > 1) s = s.replace(/\./g, "");
    if (!/^-?\d+(\.\d+)?$/.test(s)) return { error: T.plans_bad_number };
    if (s.charAt(0) === "-") {
      if (/[1-9]/.test(s)) return { error: T.plans_negative };
      s = s.slice(1);
    }
    var parts = s.split("."), whole = parts[0].replace(/^0+(?=\d)/, ""), frac = (parts[1] || "").replace(/0+$/, "");
    if (!money && frac) return { error: T.plans_whole };
    if (frac.length > 2) return { error: T.plans_decimals };
    return { value: whole + (frac ? "." + frac : ""), cents: Number(whole) * 100 + Number((frac + "00").slice(0, 2)) };
  }

  function mark(el, text) {
    var err = el.parentNode.querySelector(".cell-error");
    if (el.classList) el.classList.toggle("invalid", !!text);
    if (err) err.textContent = text || "";
  }
  function totals() {
    cfg.metrics.forEach(function (m) {
      var cents = 0;
      rows.forEach(function (tr) {
        var p = parse(input(tr, m).value, m.money);
        if (p.cents) cents += p.cents;
      });
      var td = table.querySelector("[data-total=" + m.key + "]");
      if (td) td.textContent = window.voronkaValue(ru, m.money ? "money" : "integer", cents / 100);
    });
  }
  // fill puts values (metric → responsible → "1500000.00") into the inputs.
  function fill(values, asSaved) {
    rows.forEach(function (tr) {
      cfg.metrics.forEach(function (m) {
        var el = input(tr, m), v = (values[m.key] || {})[tr.dataset.user];
        el.value = v === undefined ? "" : figure(m, v);
        if (asSaved) el.defaultValue = el.value;
        el.classList.toggle("changed", el.value !== el.defaultValue);
        mark(el, "");
      });
    });
    totals();
  }
  function byMetric(items) {
    var out = {};
    items.forEach(function (p) {
      if ((p.pipeline || "") !== (cfg.pipeline || "")) return; // all pipelines: only the plans for all of them
      (out[p.metric] = out[p.metric] || {})[p.responsible_id] = p.value;
    });
    return out;
  }
  function reload() {
    return call("GET", "/api/v1/plans" + query({})).then(function (r) {
      if (r.status === 200) fill(byMetric(r.data.items), true);
    });
  }

  table.addEventListener("input", function (e) {
    if (!e.target.matches(".plan-input")) return;
    e.target.classList.toggle("changed", e.target.value !== e.target.defaultValue);
    totals();
  });
  table.addEventListener("change", function (e) {
    if (!e.target.matches(".plan-input")) return;
    var m = cfg.metrics.filter(function (x) { return x.key === e.target.name; })[0], p = parse(e.target.value, m.money);
    mark(e.target, p.error);
    if (p.value !== undefined) e.target.value = figure(m, p.value);
    e.target.classList.toggle("changed", e.target.value !== e.target.defaultValue);
  });

  function save() {
    var bad = 0, sets = cfg.metrics.map(function (m) {
      var set = { metric: m.key, month: cfg.month, targets: [] };
      if (cfg.pipeline) set.pipeline = cfg.pipeline;
      rows.forEach(function (tr) {
        var el = input(tr, m), p = parse(el.value, m.money);
        mark(el, p.error);
        if (p.error) bad++;
        set.targets.push({ responsible_id: Number(tr.dataset.user), value: p.empty ? null : p.value });
      });
      return set;
    });
    rows.forEach(function (tr) { mark(tr.querySelector("th"), ""); });
    if (bad) return say(status, T.plans_not_saved, false);
    say(status, T.plans_saving);
    call("PUT", "/api/v1/plans/batch?lang=" + encodeURIComponent(cfg.lang), JSON.stringify({ sets: sets }), true).then(function (r) {
      if (r.status === 200) {
        fill(byMetric(r.data.items), true);
        return say(status, fmt(T.plans_saved, integer(r.data.items.length)), true);
      }
      var e = r.data.error || {}, at = /^sets\[(\d+)\]\.targets\[(\d+)\]\.(value|responsible_id)$/.exec(e.field || "");
      if (r.status === 422 && at && rows[+at[2]]) {
        var tr = rows[+at[2]];
        mark(at[3] === "value" ? input(tr, cfg.metrics[+at[1]]) : tr.querySelector("th"), e.message);
        return say(status, T.plans_not_saved, false);
      }
      say(status, fmt(T.plans_failed, e.message || r.status), false);
    }, function (err) { say(status, fmt(T.plans_failed, err.message), false); });
  }

  function copy() {
    call("GET", "/api/v1/plans" + query({ month: cfg.prev })).then(function (r) {
      if (r.status !== 200) return say(status, fmt(T.plans_failed, (r.data.error || {}).message || r.status), false);
      var prev = byMetric(r.data.items);
      if (!Object.keys(prev).length) return say(status, fmt(T.plans_none_prev, cfg.prev_name), false);
      fill(prev, false);
      say(status, fmt(T.plans_copied, cfg.prev_name), true);
    });
  }

  var result = document.getElementById("plans-import-result");
  function monthName(ym) { return cfg.months[Number(ym.slice(5, 7)) - 1] + " " + ym.slice(0, 4); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function showImport(d) {
    result.textContent = "";
    var key = d.dry_run ? T.plans_checked : T.plans_imported;
    result.appendChild(el("p", fmt(key, integer(d.rows), integer(d.targets), integer(d.changed), integer(d.unchanged)), "ok"));
    var t = el("table", undefined, "data"), head = el("tr");
    [T.plans_import_row, T.plans_manager, T.plans_month, T.plans_pipeline].concat(cfg.metrics.map(function (m) { return m.label; }))
      .forEach(function (h) { head.appendChild(el("th", h)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    d.plans.forEach(function (p) {
      var tr = body.appendChild(el("tr"));
      [integer(p.row), p.responsible_name, monthName(p.month), p.pipeline ? cfg.pipelines[p.pipeline] || p.pipeline : T.plans_all_pipelines]
        .forEach(function (c) { tr.appendChild(el("td", c)); });
      cfg.metrics.forEach(function (m) {
        var v = p.values[m.key];
        tr.appendChild(el("td", v === undefined ? "" : window.voronkaValue(ru, m.money ? "money" : "integer", Number(v)), "num"));
      });
    });
    var wrap = el("div", undefined, "table-wrap");
    wrap.appendChild(t);
    result.appendChild(wrap);
  }
  function showProblems(e) {
    result.textContent = "";
    var list = ((e.details || {}).problems) || [];
    result.appendChild(el("p", list.length ? T.plans_problems : fmt(T.plans_failed, e.message), "bad"));
    var ul = result.appendChild(el("ul", undefined, "problems"));
    list.forEach(function (p) {
      ul.appendChild(el("li", fmt(T.plans_row_col, integer(p.row), p.column, p.message) + (p.cell ? " (" + p.cell + ")" : "")));
    });
  }
  function upload(dry) {
    var file = document.getElementById("plans-file").files[0];
    if (!file) {
      result.textContent = "";
      return result.appendChild(el("p", T.plans_no_file, "bad"));
    }
    var form = new FormData();
    form.append("file", file);
    var url = "/api/v1/plans/import?lang=" + encodeURIComponent(cfg.lang) + "&month=" + cfg.month + (dry ? "&dry_run=1" : "");
    call("POST", url, form, false).then(function (r) {
      if (r.status !== 200) return showProblems(r.data.error || { message: String(r.status) });
      showImport(r.data);
      if (!r.data.dry_run) return reload();
    }, function (err) { showProblems({ message: err.message }); });
  }

  var picked = document.getElementById("plans-file");
  if (picked) picked.addEventListener("change", function () {
    document.getElementById("plans-file-name").textContent = picked.files[0] ? picked.files[0].name : T.plans_no_file_chosen;
  });
  function on(id, fn) { var b = document.getElementById(id); if (b) b.addEventListener("click", fn); }
  on("plans-save", save);
  on("plans-copy", copy);
  on("plans-import-check", function () { upload(true); });
  on("plans-import-run", function () { upload(false); });
})();
