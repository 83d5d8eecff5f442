/* Сортировка, поиск и постраничный показ таблиц с классом "sortable", без внешних библиотек.
   Числа в русской записи («12,5», «30,0 %», «40 000») сортируются как числа; «—» всегда в конце.
   Если все строки уже в таблице (data-print-all), они в ней и остаются: строки вне текущей
   страницы только скрываются на экране (класс off-page), а при печати видны все — печатается
   весь рейтинг в текущем порядке. Для очень больших рейтингов строки после первой страницы
   приходят в элементе <template id="…-rest"> (браузер не раскладывает их при загрузке), а в
   таблице держится только текущая страница, поэтому рейтинг из 40 000 ОО листается быстро. */
(function () {
  "use strict";

  function parseNumber(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f%★]/g, "").replace("−", "-").replace(",", ".");
    if (cleaned === "" || !/^-?\d+(\.\d+)?$/.test(cleaned)) { return NaN; }
    return parseFloat(cleaned);
  }

  function setUp(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(body.rows);
    var rest = document.getElementById(table.id + "-rest");
    if (rest && rest.content) {
      rows = rows.concat(Array.prototype.slice.call(rest.content.querySelectorAll("tr")));
    }
    var keys = rows.map(function () { return {}; });
    var texts = null;
    var order = rows.map(function (_, i) { return i; });
    var visible = order.slice();
    var pageSize = parseInt(table.getAttribute("data-page-size") || "0", 10);
    var keepAll = table.getAttribute("data-print-all") === "1";
    var page = 0;
    var box = document.getElementById(table.id + "-controls");
    var info = box ? box.querySelector("[data-role=info]") : null;
    var prev = box ? box.querySelector("[data-role=prev]") : null;
    var next = box ? box.querySelector("[data-role=next]") : null;
    var size = box ? box.querySelector("[data-role=size]") : null;
    var search = box ? box.querySelector("[data-role=search]") : null;

    function key(i, col, numeric) {
      var cache = keys[i];
      if (!(col in cache)) {
        var text = rows[i].cells[col] ? rows[i].cells[col].textContent.trim() : "";
        cache[col] = numeric ? parseNumber(text) : text.toLowerCase();
      }
      return cache[col];
    }

    function draw() {
      var total = visible.length;
      var per = pageSize > 0 ? pageSize : total;
      var pages = Math.max(1, Math.ceil(total / per));
      if (page >= pages) { page = pages - 1; }
      var start = page * per;
      var end = Math.min(total, start + per);
      var fragment = document.createDocumentFragment();
      var from = keepAll ? 0 : start, to = keepAll ? total : end;
      for (var i = from; i < to; i++) {
        var row = rows[visible[i]];
        if (keepAll) { row.classList.toggle("off-page", i < start || i >= end); }
        fragment.appendChild(row);
      }
      body.textContent = "";
      body.appendChild(fragment);
      if (info) {
        info.textContent = total === 0 ? "Ничего не найдено" :
          "Показаны " + (start + 1) + "–" + end + " из " + total;
      }
      if (prev) { prev.disabled = page === 0; }
      if (next) { next.disabled = page >= pages - 1; }
    }

    function filter() {
      var query = search ? search.value.trim().toLowerCase() : "";
      if (query && texts === null) {
        texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      }
      visible = query ? order.filter(function (i) { return texts[i].indexOf(query) !== -1; }) : order.slice();
      page = 0;
      draw();
    }

    headers.forEach(function (th, col) {
      var numeric = th.getAttribute("data-type") === "num";
      /* A span with the button role, not a <button>: Chromium leaves form controls out of a
         table header it repeats on every printed page, which then prints blank. */
      var button = document.createElement("span");
      button.setAttribute("role", "button");
      button.tabIndex = 0;
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); button.click(); }
      });
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sign = ascending ? 1 : -1;
        order.sort(function (a, b) {
          var x = key(a, col, numeric), y = key(b, col, numeric);
          if (numeric) {
            var xMissing = isNaN(x), yMissing = isNaN(y);
            if (xMissing || yMissing) { return xMissing === yMissing ? a - b : (xMissing ? 1 : -1); }
            return x === y ? a - b : (x - y) * sign;
          }
          var c = x.localeCompare(y, "ru");
          return c === 0 ? a - b : c * sign;
        });
        filter();
      });
    });

    if (prev) { prev.addEventListener("click", function () { page -= 1; draw(); }); }
    if (next) { next.addEventListener("click", function () { page += 1; draw(); }); }
    if (size) {
      size.addEventListener("change", function () { pageSize = parseInt(size.value, 10); page = 0; draw(); });
    }
    if (search) { search.addEventListener("input", filter); }
    if (box) { box.hidden = false; }
    draw();
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setUp);
})();
