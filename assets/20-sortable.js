/* Sortable tables: a header button sorts its column, in the browser, no server round trip.
   Works on any <table class="sortable"> (also the pre-rendered and Markdown-rendered ones,
   hence one delegated listener). Cells sort by data-sort when present, else by the number
   they show (Indonesian format) or their text; cells without a value (protected, "–")
   always go last. aria-sort tells screen readers. */
document.addEventListener("click", function (event) {
  const button = event.target.closest("table.sortable th button.sort-button");
  if (!button) return;
  const th = button.closest("th");
  const table = th.closest("table");
  const column = Array.prototype.indexOf.call(th.parentNode.children, th);
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const tbody = table.tBodies[0];
  const key = function (row) {
    const cell = row.children[Math.min(column, row.children.length - 1)];
    if (!cell || cell.classList.contains("protected-cell")) return null;
    const raw = cell.getAttribute("data-sort");
    if (raw !== null) return raw === "" ? null : parseFloat(raw);
    const text = cell.textContent.trim();
    if (text === "" || text === "–") return null;
    // Numbers as shown, the Indonesian way: 1.234.567,89 (a minus may be "−").
    if (/^[−-]?[\d.]+(,\d+)?$/.test(text)) return parseFloat(text.replace(/\./g, "").replace(",", ".").replace("−", "-"));
    return text.toLocaleLowerCase("id");
  };
  const rows = Array.prototype.slice.call(tbody.rows);
  rows.sort(function (a, b) {
    const x = key(a), y = key(b);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "id");
    return ascending ? order : -order;
  });
  rows.forEach(function (row) { tbody.appendChild(row); });
});
