/* The page's language stays in its address (web/lang.py). When ?lang= chose it, every link to
   another page of the site or a download, every form and every address the page writes into the bar
   (history) keep it, and Dash's own requests carry it in the X-Lang header, so what Dash draws is in
   the same language as the served HTML. (The served HTML already has such links: app.py; this keeps
   the ones Dash draws later.) The language switch always leads to this very view in the other
   language, as the view changes. */
(function () {
  const lang = new URLSearchParams(window.location.search).get("lang");
  const SKIP = /^\/(assets|_dash|_favicon|geo|api|unduh\/rilis)\b/;  // as web/ssr.py's _LANGUAGE_HREF

  function otherLanguage(a) {
    const u = new URL(window.location.href);
    u.searchParams.set("lang", a.getAttribute("data-lang-switch"));
    a.setAttribute("href", u.pathname + u.search + u.hash);
  }
  ["click", "focusin", "mouseover", "touchstart"].forEach(function (kind) {
    document.addEventListener(kind, function (e) {
      const a = e.target && e.target.closest && e.target.closest("a[data-lang-switch]");
      if (a) otherLanguage(a);
    }, true);
  });

  if (lang !== "en" && lang !== "id") return;

  function kept(href) {
    if (!href || href.charAt(0) !== "/" || href.startsWith("//") || SKIP.test(href)) return href;
    const hash = href.indexOf("#");
    const path = hash === -1 ? href : href.slice(0, hash);
    if (/[?&]lang=/.test(path)) return href;
    return path + (path.indexOf("?") === -1 ? "?" : "&") + "lang=" + lang + (hash === -1 ? "" : href.slice(hash));
  }

  function keepWithin(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("a[href^='/']").forEach(function (a) {
      const href = a.getAttribute("href");
      const want = kept(href);
      if (want !== href) a.setAttribute("href", want);
    });
    root.querySelectorAll("form[action^='/']").forEach(function (form) {
      if (!form.querySelector("input[name='lang']")) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "lang";
        input.value = lang;
        form.appendChild(input);
      }
    });
  }

  const original = window.fetch;
  window.fetch = function (resource, init) {
    const url = String((resource && resource.url) || resource);
    if (url.indexOf("/_dash-") !== -1) {
      init = Object.assign({}, init || {});
      const headers = new Headers(init.headers || {});
      headers.set("X-Lang", lang);
      init.headers = headers;
    }
    return original.call(this, resource, init);
  };

  // A control's change writes the view's address: keep the language in it.
  ["pushState", "replaceState"].forEach(function (name) {
    const real = history[name];
    history[name] = function (state, title, url) {
      if (typeof url === "string") {
        const u = new URL(url, window.location.href);
        if (u.origin === window.location.origin && !u.searchParams.has("lang")) {
          // appended, not searchParams.set: that would write the whole query again (34.71,75.01 as 34.71%2C75.01)
          url = u.pathname + (u.search ? u.search + "&" : "?") + "lang=" + lang + u.hash;
        }
      }
      return real.call(this, state, title, url);
    };
  });

  const watch = function () {
    keepWithin(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (c) {
        if (c.type === "attributes") keepWithin(c.target.parentNode || document);
        c.addedNodes.forEach(function (n) { if (n.nodeType === 1) { keepWithin(n); if (n.matches && n.matches("a[href^='/']")) keepWithin(n.parentNode); } });
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
