// A flash sale's countdown (.room-flash[data-ends] holding a .room-countdown), every second, for
// the room and the host's console; when it reaches zero the page hears "countdown-over" once and
// asks for the flash sale again.
(function () {
  "use strict";
  function tick() {
    var flash = document.querySelector(".room-flash[data-ends]");
    var timer = flash && flash.querySelector(".room-countdown");
    if (!timer) return;
    var left = Math.max(0, Math.round((Date.parse(flash.dataset.ends) - Date.now()) / 1000));
    timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0 && !flash.dataset.over) {
      flash.dataset.over = "1";
      document.body.dispatchEvent(new CustomEvent("countdown-over"));
    }
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();
