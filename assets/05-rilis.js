/* A page opened with ?rilis=<id> stays on that release: its Dash callbacks carry the pin in the
   X-Rilis header, and a link to another page of the site keeps ?rilis=<id> (so a citation, and
   everything reached from it, opens the same numbers forever). Without a pin nothing changes. */
(function () {
  const pin = new URLSearchParams(window.location.search).get("rilis");
  if (!pin) return;
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
  document.addEventListener("click", function (event) {
    const a = event.target.closest("a[href^='/']");
    if (!a || a.target || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const href = a.getAttribute("href");
    if (/^\/(assets|_dash|geo)\//.test(href) || /[?&]rilis=/.test(href) || href.startsWith("/rilis")) return;
    event.preventDefault();
    event.stopPropagation();
    const hash = href.indexOf("#");
    const path = hash === -1 ? href : href.slice(0, hash);
    window.location.assign(path + (path.indexOf("?") === -1 ? "?" : "&") + "rilis=" + encodeURIComponent(pin) + (hash === -1 ? "" : href.slice(hash)));
  }, true);
})();
