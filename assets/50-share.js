/* "Bagikan": the phone's share sheet with this view's address, else the address copied (with words
   saying it was, or the address to copy by hand); "Salin kode" copies an embed code. One listener for
   the served page and Dash's alike; the buttons have no id, so they are never replayed after Dash starts
   (00-dash-on-demand.js). Their words come from the page, in its language (components/share.py:
   data-ok, data-fail), so no text is written here but the Indonesian fallback. */
(function () {
  function words(button, name, fallback) { return button.getAttribute(name) || fallback; }
  function say(button, text) {
    const status = button.parentNode && button.parentNode.querySelector(".share-status");
    if (status) status.textContent = text;
  }
  function copyByHand(button, url) {
    const box = document.createElement("textarea");
    box.value = url;
    box.setAttribute("readonly", "");
    box.style.position = "fixed";
    box.style.opacity = "0";
    document.body.appendChild(box);
    box.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    box.remove();
    say(button, ok ? words(button, "data-ok", "Tautan disalin.") : words(button, "data-fail", "Salin alamat ini:") + " " + url);
  }
  function copy(button, url) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { say(button, words(button, "data-ok", "Tautan disalin.")); }, function () { copyByHand(button, url); });
    } else {
      copyByHand(button, url);
    }
  }
  document.addEventListener("click", function (event) {
    const copier = event.target.closest && event.target.closest("[data-copy]");
    const box = copier && document.getElementById(copier.getAttribute("data-copy"));
    if (box) {
      const text = box.value;
      const done = function () { say(copier, words(copier, "data-ok", "Kode disalin.")); };
      const byHand = function () {
        box.select();
        let ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        say(copier, ok ? words(copier, "data-ok", "Kode disalin.") : words(copier, "data-fail", "Pilih kode di kotak lalu salin."));
      };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, byHand); else byHand();
      return;
    }
    const button = event.target.closest && event.target.closest("[data-share]");
    if (!button) return;
    const url = window.location.href;
    if (navigator.share) {
      navigator.share({ title: document.title, url: url }).then(function () { say(button, ""); }, function (err) {
        if (!err || err.name !== "AbortError") copy(button, url); // closed by the reader: nothing to say
      });
    } else {
      copy(button, url);
    }
  });
})();
