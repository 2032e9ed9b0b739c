/* One query parameter that a page's address chose and that everything the page leads to keeps:
   every link to another page of the site (except `skip`), every form, every address the page writes
   into the bar (history), and Dash's own requests (as a header). The language (04-lang.js) and a
   release pin (05-rilis.js) are two such parameters. The served HTML already has such links (app.py);
   this keeps the ones Dash draws later. */
window.dtsenKeepParam = function (opts) {
  // opts: name ("lang"), value, header ("X-Lang"), requests (a substring of the Dash requests that
  // carry the header), skip (paths that keep nothing), keepsOwn (optional: hrefs left as they are);
  // linksOnly (optional): only links whose path `only` matches, no forms, requests or history
  const name = opts.name, value = opts.value;
  const inQuery = new RegExp("[?&]" + name + "=");

  function kept(href) {
    if (!href || href.charAt(0) !== "/" || href.startsWith("//") || opts.skip.test(href)) return href;
    if (opts.only && !opts.only.test(href)) return href;
    if (opts.keepsOwn && opts.keepsOwn(href)) return href;
    const hash = href.indexOf("#");
    const path = hash === -1 ? href : href.slice(0, hash);
    if (inQuery.test(path)) return href;
    return path + (path.indexOf("?") === -1 ? "?" : "&") + name + "=" + encodeURIComponent(value) + (hash === -1 ? "" : href.slice(hash));
  }

  function keepWithin(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("a[href^='/']").forEach(function (a) {
      const href = a.getAttribute("href");
      const want = kept(href);
      if (want !== href) a.setAttribute("href", want);
    });
    if (opts.linksOnly) return;
    root.querySelectorAll("form[action^='/']").forEach(function (form) {
      if (!form.querySelector("input[name='" + name + "']")) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
    });
  }

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
  if (opts.linksOnly) return;

  const original = window.fetch;
  window.fetch = function (resource, init) {
    const url = String((resource && resource.url) || resource);
    if (url.indexOf(opts.requests) !== -1) {
      init = Object.assign({}, init || {});
      const headers = new Headers(init.headers || {});
      headers.set(opts.header, value);
      init.headers = headers;
    }
    return original.call(this, resource, init);
  };

  // A control's change writes the view's address: keep the parameter in it.
  ["pushState", "replaceState"].forEach(function (method) {
    const real = history[method];
    history[method] = function (state, title, url) {
      if (typeof url === "string") {
        const u = new URL(url, window.location.href);
        if (u.origin === window.location.origin && !u.searchParams.has(name)) {
          // appended, not searchParams.set: that would write the whole query again (34.71,75.01 as 34.71%2C75.01)
          url = u.pathname + (u.search ? u.search + "&" : "?") + name + "=" + encodeURIComponent(value) + u.hash;
        }
      }
      return real.call(this, state, title, url);
    };
  });
};
