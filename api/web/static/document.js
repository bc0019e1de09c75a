// Document view: clicking an obligation highlights its place on the page (and back).
(function () {
  "use strict";
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }

  function select(ob, scrollPage) {
    all(".active").forEach(function (el) { el.classList.remove("active"); });
    all(".ob.selected").forEach(function (el) { el.classList.remove("selected"); });
    var marks = all('.box[data-ob="' + ob + '"], .doc-text [data-ob="' + ob + '"]');
    marks.forEach(function (el) { el.classList.add("active"); });
    var item = document.getElementById("ob-" + ob);
    if (item) { item.classList.add("selected"); }
    if (scrollPage && marks.length) { marks[0].scrollIntoView({ behavior: "smooth", block: "center" }); }
    if (!scrollPage && item) { item.scrollIntoView({ behavior: "smooth", block: "nearest" }); }
  }

  all("button.locate").forEach(function (b) {
    b.addEventListener("click", function () { select(b.getAttribute("data-ob"), true); });
  });
  all(".box[data-ob], .doc-text [data-ob]").forEach(function (el) {
    el.addEventListener("click", function () { select(el.getAttribute("data-ob"), false); });
  });
  var hash = (location.hash || "").match(/^#ob-(.+)$/);
  if (hash) { select(decodeURIComponent(hash[1]), true); }
})();
