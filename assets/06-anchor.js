/* A link to a section (/tentang#sel-kosong, /target?…#target-lintasan) lands on it: Dash renders
   the page after the browser's own jump to the anchor, and within the app a link changes the
   page without one. Look for the target for a few seconds after each navigation, then scroll. */
(function () {
  function land() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    const until = Date.now() + 6000;
    let settled = 0;
    (function look() {
      const el = document.getElementById(id);
      if (el && document.getElementById("_pages_content") && document.getElementById("_pages_content").contains(el)) {
        el.scrollIntoView();
        if (++settled > 3) return;  // again as the page settles around it
      }
      if (Date.now() < until) setTimeout(look, 250);
    })();
  }
  window.addEventListener("load", land);
  window.addEventListener("hashchange", land);
  const push = history.pushState;
  history.pushState = function () { const r = push.apply(this, arguments); setTimeout(land, 0); return r; };
})();
