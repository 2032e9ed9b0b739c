/* A page opened with ?rilis=<id> stays on that release (03-keep-param.js): its Dash callbacks carry
   the pin in the X-Rilis header; every link to another page of the site, every search form and every
   address the page writes into the bar keep ?rilis=<id>. So a citation, everything reached from it, a
   link copied or opened in a new tab, and a reload after a change show the same numbers. Links to the
   release pages (/rilis…) are left as they are: they name their releases themselves. Without a pin
   nothing changes. */
(function () {
  const pin = new URLSearchParams(window.location.search).get("rilis");
  if (!pin) return;
  window.dtsenKeepParam({
    name: "rilis", value: pin, header: "X-Rilis", requests: "_dash-update-component",
    skip: /^\/(assets|_dash|_favicon|geo|unduh\/rilis)\b/,
    keepsOwn: function (href) { return href.startsWith("/rilis"); },
  });
})();
