/* "Salin gambar": a chart's or map's PNG put on the clipboard with the async Clipboard API, fetched
   from this host (connect-src 'self'). The buttons stay hidden (10-portal.css) unless this browser can
   write an image to the clipboard: then <html> gets the class can-copy-image, for the served page and
   every page Dash draws after it. Elsewhere only the download links show. One listener for all buttons;
   they carry no id, so 00-dash-on-demand.js never replays a click. Words come from the page
   (components/share.py: data-ok, data-fail) in its language. */
(function () {
  var able = !!(navigator.clipboard && typeof navigator.clipboard.write === "function" &&
                typeof window.ClipboardItem === "function" && window.isSecureContext);
  if (!able) return;
  document.documentElement.classList.add("can-copy-image");
  function say(button, text) {
    var status = button.parentNode && button.parentNode.querySelector(".copy-image-status");
    if (status) status.textContent = text;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-image]");
    if (!button) return;
    var url = button.getAttribute("data-copy-image");
    var fail = function () { say(button, button.getAttribute("data-fail") || "Gambar tidak dapat disalin; unduh PNG-nya."); };
    say(button, "");
    var png = fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.blob();
    }).then(function (blob) { return blob.type === "image/png" ? blob : new Blob([blob], { type: "image/png" }); });
    try {
      navigator.clipboard.write([new ClipboardItem({ "image/png": png })]).then(function () {
        say(button, button.getAttribute("data-ok") || "Gambar disalin.");
      }, fail);
    } catch (e) {
      fail();
    }
  });
})();
