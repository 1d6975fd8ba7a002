/* A form with data-confirm asks its question before it is sent, and stays put if the answer is no.
   One listener for the whole page, so that forms htmx swaps in later ask too (no inline handlers:
   the Content-Security-Policy forbids them). */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
