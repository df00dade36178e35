// Rotation grid: pressing a cell fills the manual edit form with that person, date and post.
(function () {
  "use strict";
  var grid = document.getElementById("grid");
  var form = document.getElementById("edit-form");
  if (!grid || !form) { return; }
  var heads = grid.tHead.rows[0].cells;
  var selected = null;
  grid.tBodies[0].addEventListener("click", function (event) {
    var cell = event.target.closest("td");
    if (!cell || cell.cellIndex < 2) { return; }
    var row = cell.parentNode;
    var date = heads[cell.cellIndex].getAttribute("data-d");
    form.elements.date.value = date;
    form.elements.staff.value = row.getAttribute("data-s");
    var p = cell.getAttribute("data-p");
    if (p !== null) {
      var option = form.elements.post.querySelector('option[data-i="' + p + '"]');
      if (option) { form.elements.post.value = option.value; }
    }
    if (selected) { selected.classList.remove("sel"); }
    selected = cell;
    cell.classList.add("sel");
    form.elements.post.focus();
  });
})();
