// Live solve progress: polls the plan's progress and redraws the objective over time; reloads when done.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !box.getAttribute("data-live")) { return; }
  var url = box.getAttribute("data-progress-url");
  var line = document.getElementById("progress-line");
  var text = document.getElementById("progress-text");
  var fmt = new Intl.NumberFormat("ja-JP");

  function points(progress, seconds) {
    if (!progress.length) { return ""; }
    var lo = Infinity, hi = -Infinity;
    progress.forEach(function (p) { lo = Math.min(lo, p.objective); hi = Math.max(hi, p.objective); });
    var span = Math.max(hi - lo, 1);
    var total = Math.max(seconds, progress[progress.length - 1].elapsed, 0.001);
    return progress.map(function (p) {
      var x = 10 + 380 * Math.min(p.elapsed / total, 1);
      var y = 140 - 130 * (p.objective - lo) / span;
      return x.toFixed(1) + "," + y.toFixed(1);
    }).join(" ");
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (body) {
        var job = body.job;
        if (!job) { return; }
        var last = job.progress.length ? job.progress[job.progress.length - 1] : null;
        var parts = ["状態: " + (body.jobStatusName || job.status)];
        if (last) {
          parts.push("経過 " + last.elapsed.toFixed(1) + "秒");
          parts.push("最良の目的関数 " + fmt.format(last.objective));
        }
        text.textContent = parts.join("・") + "（上限 " + fmt.format(Math.round(job.seconds)) + "秒）";
        line.setAttribute("points", points(job.progress, job.seconds));
        if (job.status === "queued" || job.status === "running") {
          window.setTimeout(tick, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 500);
})();
