/* Dash starts when the reader does something, not before.

   The served HTML already holds the page: text, tables, the map as SVG, controls showing their
   values, links that work. Dash's scripts (about 330 KB compressed, seconds of work on a slow
   phone's CPU) only add interaction, so they load on the first touch, key, click, focus or wheel — or
   at once when the page asks for it (window.dtsenStartDash). Whatever the reader did before
   Dash took over is done again on Dash's own controls: a select's new value, a button's click.
   The list of bundles comes from the server (app.py, in #dash-bundles). */
(function () {
  document.documentElement.classList.add("js"); // hides what only a reader without scripts needs
  const bundles = document.getElementById("dash-bundles");
  if (!bundles) return;
  let started = false;
  let swapped = false; // Dash's page has replaced the served one
  const ENGAGED = "dtsen-dash-dimulai"; // this tab has used the controls: have them ready on the next page
  const chosen = new Map(); // id → [pre-rendered element, value chosen on it]
  const clicked = []; // [id, pre-rendered element]

  // While Dash builds its page (hidden), the served page stays on screen, scrollable and usable;
  // they swap when Dash's page is whole, at the same scroll position (no blank, no jump to the top).
  function warmUp(root) {
    const shell = document.createElement("div");
    shell.id = "ssr-shell";
    while (root.firstChild) shell.appendChild(root.firstChild);
    root.parentNode.insertBefore(shell, root);
    root.classList.add("dash-warming");
    const hadMap = !!shell.querySelector(".svg-map");
    const t0 = Date.now();
    let filledAt = 0;
    const timer = setInterval(function () {
      const content = root.querySelector("#_pages_content");
      const filled = content && content.children.length && !root.querySelector("._dash-loading");
      if (filled && !filledAt) filledAt = Date.now();
      const mapDrawn = !hadMap || root.querySelector(".js-plotly-plot .main-svg");
      if ((filled && (mapDrawn || Date.now() - filledAt > 8000)) || Date.now() - t0 > 60000) {
        clearInterval(timer);
        const y = window.scrollY;
        const focusedId = shell.contains(document.activeElement) && document.activeElement.id;
        carryText(shell, root);
        shell.remove();
        root.classList.remove("dash-warming");
        window.scrollTo(0, y);
        swapped = true;
        if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
        replay();
      }
    }, 100);
  }

  // Text typed into a served field while Dash was loading (a report on /lapor, the search box) moves
  // to Dash's field of the same id, through the native setter and an input event so React keeps it.
  function carryText(shell, root) {
    shell.querySelectorAll("input[id], textarea[id]").forEach(function (old) {
      if (old.type === "hidden" || old.value === old.defaultValue) return;
      const el = root.querySelector("#" + CSS.escape(old.id));
      if (!el || el.value === old.value) return;
      const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, "value").set.call(el, old.value);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function replay() {
    // Dash swaps the pre-rendered elements for its own (same ids); act on those once they exist.
    let tries = 0;
    const timer = setInterval(function () {
      tries += 1;
      chosen.forEach(function (entry, id) {
        const el = document.getElementById(id);
        if (el && el !== entry[0]) {
          Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set.call(el, entry[1]);
          el.dispatchEvent(new Event("change", { bubbles: true }));
          chosen.delete(id);
        }
      });
      for (let i = clicked.length - 1; i >= 0; i--) {
        const el = document.getElementById(clicked[i][0]);
        if (el && el !== clicked[i][1]) { el.click(); clicked.splice(i, 1); }
      }
      if ((!chosen.size && !clicked.length) || tries > 600) clearInterval(timer);
    }, 100);
  }

  function start() {
    if (started) return;
    started = true;
    try { sessionStorage.setItem(ENGAGED, "1"); } catch (e) { /* private mode: start on demand again */ }
    const urls = JSON.parse(bundles.textContent);
    let left = urls.length;
    const done = function () {
      left -= 1;
      if (left === 0) {
        warmUp(document.getElementById("react-entry-point"));
        window.dtsenRenderer = new window.DashRenderer();
      }
    };
    urls.forEach(function (url) {
      const s = document.createElement("script");
      s.src = url;
      s.async = false; // download in parallel, run in this order (react before the renderer …)
      s.onload = done;
      s.onerror = done;
      document.body.appendChild(s);
    });
  }
  window.dtsenStartDash = start;
  let engaged = false;
  try { engaged = sessionStorage.getItem(ENGAGED) === "1"; } catch (e) { /* as if new */ }
  if (engaged) {
    // The bundles are in the browser's cache by now; start once the served page has painted.
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  }

  // click and change too: assistive technology and scripts may act without a pointer or key.
  ["pointerdown", "touchstart", "keydown", "wheel", "click", "change", "focusin"].forEach(function (type) {
    document.addEventListener(type, start, { capture: true, passive: true });
  });
  document.addEventListener("change", function (event) {
    const el = event.target;
    if (!swapped && el instanceof HTMLSelectElement && el.id) chosen.set(el.id, [el, el.value]);
  }, true);
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("button[id]");
    if (!swapped && button) {
      clicked.push([button.id, button]);
      // A panel the button opens opens now; Dash's own click later opens its copy.
      const panel = button.getAttribute("aria-controls") && document.getElementById(button.getAttribute("aria-controls"));
      if (panel) {
        panel.classList.toggle("open");
        button.setAttribute("aria-expanded", panel.classList.contains("open") ? "true" : "false");
      }
    }
  }, true);
})();
