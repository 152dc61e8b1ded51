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
