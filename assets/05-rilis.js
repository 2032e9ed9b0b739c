/* A page opened with ?rilis=<id> stays on that release: its Dash callbacks carry the pin in the
   X-Rilis header; every link to another page of the site, every search form and every address
   the page writes into the bar (history) keep ?rilis=<id>. So a citation, everything reached from
   it, a link copied or opened in a new tab, and a reload after a change show the same numbers.
   (The served HTML already has pinned links: app.py; this keeps the ones Dash draws later.)
   Without a pin nothing changes. */
(function () {
  const pin = new URLSearchParams(window.location.search).get("rilis");
  if (!pin) return;
  const SKIP = /^\/(assets|_dash|_favicon|geo|unduh\/rilis)\b/;

  function pinned(href) {
    if (!href || href.charAt(0) !== "/" || href.startsWith("//") || SKIP.test(href) || /[?&]rilis=/.test(href) || href.startsWith("/rilis")) return href;
    const hash = href.indexOf("#");
    const path = hash === -1 ? href : href.slice(0, hash);
    return path + (path.indexOf("?") === -1 ? "?" : "&") + "rilis=" + encodeURIComponent(pin) + (hash === -1 ? "" : href.slice(hash));
  }

  function pinWithin(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("a[href^='/']").forEach(function (a) {
      const href = a.getAttribute("href");
      const want = pinned(href);
      if (want !== href) a.setAttribute("href", want);
    });
    root.querySelectorAll("form[action^='/']").forEach(function (form) {
      if (!form.querySelector("input[name='rilis']")) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "rilis";
        input.value = pin;
        form.appendChild(input);
      }
    });
  }

  const original = window.fetch;
  window.fetch = function (resource, init) {
    const url = String((resource && resource.url) || resource);
    if (url.indexOf("_dash-update-component") !== -1) {
      init = Object.assign({}, init || {});
      const headers = new Headers(init.headers || {});
      headers.set("X-Rilis", pin);
      init.headers = headers;
    }
    return original.call(this, resource, init);
  };

  // A control's change writes the view's address: keep the pin in it.
  ["pushState", "replaceState"].forEach(function (name) {
    const real = history[name];
    history[name] = function (state, title, url) {
      if (typeof url === "string") {
        const u = new URL(url, window.location.href);
        if (u.origin === window.location.origin && !u.searchParams.has("rilis")) {
          u.searchParams.set("rilis", pin);
          url = u.pathname + u.search + u.hash;
        }
      }
      return real.call(this, state, title, url);
    };
  });

  // Dash draws links after the page loads, and again on every change: pin them as they appear.
  const watch = function () {
    pinWithin(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (c) {
        if (c.type === "attributes") pinWithin(c.target.parentNode || document);
        c.addedNodes.forEach(function (n) { if (n.nodeType === 1) { pinWithin(n); if (n.matches && n.matches("a[href^='/']")) pinWithin(n.parentNode); } });
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
