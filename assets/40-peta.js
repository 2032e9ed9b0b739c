/* The map page's clientside callbacks (pages/peta.py names them: ClientsideFunction("peta", …)).
   They live in this file, not as strings in Python that Dash would write into the page as inline
   scripts: the Content-Security-Policy runs no inline script it does not know by hash. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  peta: {
    // Write the state into the address bar (a new history entry) without a page re-render, and name the
    // view in the tab's title as the served page does ("<indicator> — peta — <site>"): bookmarks and the
    // history list read it.
    pushSearch: function (search) {
      if (search && window.location.search !== search) {
        window.history.pushState({}, "", window.location.pathname + search);
      }
      const select = document.getElementById("peta-indikator");
      const chosen = select && select.selectedOptions && select.selectedOptions[0];
      const parts = document.title.split(" — ");
      if (chosen && parts.length >= 3) {
        document.title = [chosen.text].concat(parts.slice(-2)).join(" — ");
      }
      return "";
    },

    copyCitation: function (n, text) {
      if (!n) { return ""; }
      // The words are the button's, in the page's language (pages/peta.py: data-ok, data-fail).
      const button = document.getElementById("peta-salin");
      const said = (name, fallback) => (button && button.getAttribute(name)) || fallback;
      const done = () => said("data-ok", "Kutipan disalin.");
      const fallback = () => {
        const box = document.getElementById("peta-kutipan");
        box.select();
        return document.execCommand("copy") ? done() : said("data-fail", "Tidak bisa menyalin otomatis: pilih teks kutipan lalu salin.");
      };
      if (navigator.clipboard && window.isSecureContext) {
        return navigator.clipboard.writeText(text).then(done, fallback);
      }
      return fallback();
    },

    togglePanel: function (n) {
      const open = (n || 0) % 2 === 1;
      return [open ? "controls-panel open" : "controls-panel", open ? "true" : "false"];
    },
  },
});

/* The tab names the indicator shown, whatever changed the view: a control (pushSearch above) or the
   browser's Back and Forward, after which Dash Pages writes its own title (its default indicator's). */
(function () {
  let queued = false;
  function nameTab() {
    queued = false;
    if (window.location.pathname !== "/peta") return;
    const select = document.getElementById("peta-indikator");
    const chosen = select && select.selectedOptions && select.selectedOptions[0];
    const parts = document.title.split(" — ");
    if (!chosen || parts.length < 3) return;
    const want = [chosen.text].concat(parts.slice(-2)).join(" — ");
    if (document.title !== want) document.title = want;
  }
  function soon() {
    if (!queued) { queued = true; window.requestAnimationFrame(nameTab); }
  }
  const watch = function () {
    const title = document.querySelector("title");
    if (title) new MutationObserver(soon).observe(title, { childList: true, characterData: true, subtree: true });
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true, characterData: true });
    window.addEventListener("popstate", soon);
    document.addEventListener("change", soon, true);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
