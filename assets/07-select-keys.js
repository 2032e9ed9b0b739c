/* Arrow keys on a closed <select> step through its options; the browser reports every step as a
   change, so four presses to reach the wanted indicator drew the map four times over a slow
   connection. Here the keys still move the shown choice at once, but the page hears of it only
   when the reader pauses (or leaves the box, or presses Enter): one update, for the choice made. */
(function () {
  const STEP_KEYS = { ArrowDown: 1, ArrowUp: -1, PageDown: 5, PageUp: -5, Home: -Infinity, End: Infinity };
  const QUIET_MS = 450;
  const setValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
  let pending = null; // {select, timer}

  function flush() {
    if (!pending) return;
    const select = pending.select;
    clearTimeout(pending.timer);
    pending = null;
    // React keeps its own copy of the value; the native setter plus a change event is what it
    // reads as a person's choice.
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", function (event) {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || select.multiple) return;
    if (event.key === "Enter" || event.key === "Tab") { flush(); return; }
    const step = STEP_KEYS[event.key];
    if (step === undefined || event.altKey || event.ctrlKey || event.metaKey) return; // Alt+↓ opens the list
    const enabled = Array.from(select.options).filter(function (o) { return !o.disabled; });
    if (!enabled.length) return;
    event.preventDefault();
    const at = enabled.indexOf(select.options[select.selectedIndex]);
    const to = Math.max(0, Math.min(enabled.length - 1, (at < 0 ? 0 : at) + step));
    if (pending && pending.select !== select) flush();
    setValue.call(select, enabled[to].value);
    if (pending) clearTimeout(pending.timer);
    pending = { select: select, timer: setTimeout(flush, QUIET_MS) };
  }, true);

  document.addEventListener("focusout", function (event) {
    if (pending && event.target === pending.select) flush();
  }, true);
})();
