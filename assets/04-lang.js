/* The page's language stays in its address (web/lang.py). When ?lang= chose it, the page keeps it
   (03-keep-param.js): links, forms, history, and Dash's own requests in the X-Lang header, so what
   Dash draws is in the same language as the served HTML. The language switch always leads to this
   very view in the other language, as the view changes. */
(function () {
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

  const lang = new URLSearchParams(window.location.search).get("lang");
  if (lang !== "en" && lang !== "id") {
    // The browser's language chose English: file links say so (a file follows only its address).
    if (document.documentElement.lang === "en") {
      window.dtsenKeepParam({ name: "lang", value: "en", skip: /^\/unduh\/rilis\//, only: /^\/unduh\//, linksOnly: true });
    }
    return;
  }
  window.dtsenKeepParam({
    name: "lang", value: lang, header: "X-Lang", requests: "/_dash-",
    skip: /^\/(assets|_dash|_favicon|geo|api|unduh\/rilis)\b/,  // as web/ssr.py's _LANGUAGE_HREF
  });
})();
