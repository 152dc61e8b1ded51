// The deal page (templates/deal.html): choosing a forecast category
// saves it at once through PATCH /api/v1/deals/{id} ("" clears it: the
// stage's probability decides again) and says whether it was saved; on
// failure the select returns to the saved choice.
(function () {
  var sel = document.getElementById("deal-forecast-category");
  var status = document.getElementById("deal-forecast-status");
  if (!sel || sel.tagName !== "SELECT" || !status) return;
  var saved = sel.value;
  function say(text, cls) {
    status.textContent = text;
    status.className = "deal-save " + cls;
  }
  sel.addEventListener("change", function () {
    var value = sel.value;
    sel.disabled = true;
    say(sel.dataset.saving, "");
    fetch("/api/v1/deals/" + encodeURIComponent(sel.dataset.deal), {
      method: "PATCH", credentials: "same-origin",
      headers: { "X-CSRF-Token": sel.dataset.csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ forecast_category: value })
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (deal) {
      saved = deal.forecast_category || "";
      sel.value = saved;
      say(sel.dataset.saved, "ok");
    }).catch(function () {
      sel.value = saved;
      say(sel.dataset.failed, "bad");
    }).then(function () { sel.disabled = false; });
  });
})();

// Merging another deal into this one (director, admin): the number typed
// is looked up through GET /api/v1/deals/{id}, the page asks to confirm
// with that deal's title, and POST /api/v1/deals/merge merges it; the
// page then reloads and lists what moved here. A refusal shows the
// server's message in the page's language.
(function () {
  var form = document.getElementById("deal-merge-form");
  if (!form) return;
  var input = document.getElementById("deal-merge-id");
  var box = document.getElementById("deal-merge-confirm");
  var question = document.getElementById("deal-merge-question");
  var yes = document.getElementById("deal-merge-yes");
  var no = document.getElementById("deal-merge-no");
  var status = document.getElementById("deal-merge-status");
  var other = null;
  function say(text, cls) {
    status.textContent = text;
    status.className = "deal-save " + (cls || "");
  }
  function fill(text) {
    for (var i = 1; i < arguments.length; i++) text = text.replace("%s", arguments[i]);
    return text;
  }
  function call(method, url, body) {
    var opts = { method: method, credentials: "same-origin", headers: { "X-CSRF-Token": form.dataset.csrf } };
    if (body) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url + "?lang=" + encodeURIComponent(form.dataset.lang), opts).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    box.hidden = true;
    other = null;
    var id = input.value.trim();
    if (!/^[1-9][0-9]*$/.test(id)) return say(fill(form.dataset.missing, id), "bad");
    if (id === form.dataset.deal) return say(form.dataset.same, "bad");
    say("", "");
    call("GET", "/api/v1/deals/" + id).then(function (r) {
      if (r.status !== 200) return say(fill(form.dataset.missing, id), "bad");
      other = r.data;
      question.textContent = fill(form.dataset.question, String(other.id), other.title);
      box.hidden = false;
      yes.focus();
    }, function (err) { say(fill(form.dataset.failed, err.message), "bad"); });
  });
  no.addEventListener("click", function () { box.hidden = true; other = null; input.focus(); });
  yes.addEventListener("click", function () {
    if (!other) return;
    yes.disabled = true;
    say(form.dataset.merging, "");
    call("POST", "/api/v1/deals/merge", { keep_id: Number(form.dataset.deal), merge_id: other.id }).then(function (r) {
      if (r.status !== 200) throw new Error((r.data.error || {}).message || String(r.status));
      location.reload();
    }).catch(function (err) {
      box.hidden = true;
      say(fill(form.dataset.failed, err.message), "bad");
    }).then(function () { yes.disabled = false; });
  });
})();
