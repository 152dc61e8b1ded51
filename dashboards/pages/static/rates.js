// The rates page (templates/rates.html): the file picker says which
// file was chosen, in the page's language (the browser's own control,
// hidden, would say it in the browser's).
(function () {
  var input = document.getElementById("rates-file");
  var name = document.getElementById("rates-file-name");
  if (!input || !name) return;
  input.addEventListener("change", function () {
    name.textContent = input.files[0] ? input.files[0].name : name.dataset.none;
  });
})();
