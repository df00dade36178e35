// Copy buttons: <button data-copy="INPUT-ID" hidden> becomes visible and copies the input's value.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(ok) {
        if (status) { status.textContent = ok ? "コピーしました。" : "コピーできませんでした。URLを選択してコピーしてください。"; }
      }
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(document.execCommand("copy")); });
      } else {
        done(document.execCommand("copy"));
      }
    });
  });
})();
