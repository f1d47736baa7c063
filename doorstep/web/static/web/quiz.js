// The time left for a quiz attempt, counted down on the page. The server decides: answers sent
// after the limit (and a short grace) are not marked. Without JavaScript the limit is still shown.
(function () {
  const clock = document.querySelector("[data-expires]");
  if (!clock) return;
  const expires = Date.parse(clock.dataset.expires);
  const output = clock.querySelector("output");
  function tick() {
    const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    output.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    clock.classList.toggle("urgent", left <= 120);
    if (left > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
