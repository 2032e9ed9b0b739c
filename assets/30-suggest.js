/* Suggestions while typing in the navigation bar's search box: the best few regions and
   indicators from /api/cari, as plain links under the box (a combobox with a listbox, so
   screen readers announce them; ArrowDown moves into the list, Escape closes it). The box
   stays a plain GET form to /cari, so nothing depends on this script. One delegated
   listener: Dash may re-render the navigation bar. */
(function () {
  let timer = null;
  let last = "";

  function listFor(input) {
    let list = document.getElementById("nav-cari-saran");
    if (!list) {
      list = document.createElement("ul");
      list.id = "nav-cari-saran";
      list.className = "search-suggestions";
      list.setAttribute("role", "listbox");
      // The list's name is the page's, in its language (components/shell.py: the form's data-suggestions).
      list.setAttribute("aria-label", input.closest("form").getAttribute("data-suggestions") || "Saran pencarian");
      input.closest("form").appendChild(list);
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-controls", "nav-cari-saran");
      input.setAttribute("aria-autocomplete", "list");
    }
    return list;
  }

  function close(input) {
    const list = document.getElementById("nav-cari-saran");
    if (list) list.innerHTML = "";
    if (input) input.setAttribute("aria-expanded", "false");
  }

  function show(input, hits) {
    const list = listFor(input);
    list.innerHTML = "";
    hits.forEach(function (h) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      const a = document.createElement("a");
      a.href = h.url;
      a.textContent = h.nama;
      const ctx = document.createElement("span");
      ctx.className = "result-context";
      ctx.textContent = " " + (h.konteks || "");
      li.appendChild(a);
      li.appendChild(ctx);
      list.appendChild(li);
    });
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!input || input.id !== "nav-cari") return;
    const q = input.value.trim();
    clearTimeout(timer);
    if (q.length < 2) { close(input); return; }
    timer = setTimeout(function () {
      if (q === last) return;
      last = q;
      // The page's language (components/shell.py: the form's data-lang, whether the address or the browser chose it):
      // an English page suggests English names.
      const lang = input.closest("form").getAttribute("data-lang");
      fetch("/api/cari?batas=6&q=" + encodeURIComponent(q) + (lang === "en" ? "&lang=en" : ""))
        .then(function (r) { return r.ok ? r.json() : { hasil: [] }; })
        .then(function (body) { if (input.value.trim() === q) show(input, body.hasil || []); })
        .catch(function () { close(input); });
    }, 200);
  });

  document.addEventListener("keydown", function (event) {
    const list = document.getElementById("nav-cari-saran");
    if (!list || !list.children.length) return;
    const links = Array.prototype.slice.call(list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") { close(document.getElementById("nav-cari")); return; }
    if (event.target.id === "nav-cari" && event.key === "ArrowDown") { links[0].focus(); event.preventDefault(); }
    else if (at >= 0 && event.key === "ArrowDown" && at < links.length - 1) { links[at + 1].focus(); event.preventDefault(); }
    else if (at >= 0 && event.key === "ArrowUp") { (at === 0 ? document.getElementById("nav-cari") : links[at - 1]).focus(); event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".nav-search")) close(null);
  });
})();
