// The for-you feed: the video of the item in view plays, muted, and stops when it leaves (one at a
// time, as a phone scrolls them one by one); htmx brings the next items as the list's end comes in.
(function () {
  "use strict";
  if (!("IntersectionObserver" in window)) return;
  var watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var video = entry.target;
      if (entry.isIntersecting && entry.intersectionRatio >= 0.6) {
        video.play().catch(function () { /* the browser said no: the poster stays */ });
      } else {
        video.pause();
      }
    });
  }, { threshold: [0, 0.6] });
  function watch(root) {
    root.querySelectorAll("video.feed-video:not([data-watched])").forEach(function (video) {
      video.dataset.watched = "1";
      watcher.observe(video);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { watch(document); });
  document.addEventListener("htmx:afterSwap", function () { watch(document); });
})();
