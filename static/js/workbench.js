/* The inspection workbench's checklist page (templates/inspection/inspect.html): keyboard shortcuts,
   and where the focus goes after a group is saved. The page works without it: every check is a radio
   group that Tab reaches, and each group is a plain form.

   Keys, never while typing in a field (Escape leaves a note for its check):
     P  pass the check, then go to the next one (or to its measured value, if it needs one)
     F  defect, then its note
     J / N  next check, K  previous check (among the open groups)
     S  save the group
   No inline handlers (the Content-Security-Policy forbids them): one listener each, on the document. */
(function () {
  "use strict";

  var bench = document.querySelector(".ib-bench");
  if (!bench) {
    return;
  }
  var hint = document.getElementById("ib-keys");
  if (hint) {
    hint.hidden = false;
  }

  // What the seller declared is a sticky column on a wide screen: open there, folded on a phone.
  var wide = window.matchMedia("(min-width: 1200px)");
  function openWhenWide() {
    if (wide.matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
        details.open = true;
      });
    }
  }
  openWhenWide();
  wide.addEventListener("change", openWhenWide);

  var TEXT_TYPES = ["radio", "checkbox", "button", "submit", "reset", "file", "image", "range", "color"];
  function isTyping(element) {
    if (!element || element === document.body) {
      return false;
    }
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      return true;
    }
    return element.tagName === "INPUT" && TEXT_TYPES.indexOf(element.type) === -1;
  }

  var lastRow = null;

  function rows() {
    return Array.prototype.slice.call(bench.querySelectorAll(".ib-group-details[open] [data-check]"));
  }

  function answered(row) {
    return row.classList.contains("is-pass") || row.classList.contains("is-defect");
  }

  // The check the keys act on: the one holding the focus, or the last one that did if the focus has
  // not gone elsewhere since (a button of the same group, or nowhere).
  function currentRow() {
    var focused = document.activeElement;
    var row = focused && focused.closest ? focused.closest("[data-check]") : null;
    if (row) {
      return row;
    }
    if (lastRow && lastRow.isConnected && lastRow.offsetParent !== null) {
      var form = focused && focused.closest ? focused.closest(".ib-group-form") : null;
      if (!focused || focused === document.body || form === lastRow.closest(".ib-group-form")) {
        return lastRow;
      }
    }
    return null;
  }

  function focusRow(row) {
    var target = row.querySelector(".ib-outcome input:checked") || row.querySelector(".ib-outcome input");
    if (target) {
      target.focus();
      lastRow = row;
    }
  }

  function saveButton(element) {
    var form = element && element.closest ? element.closest(".ib-group-form") : null;
    return form ? form.querySelector(".ib-save-group") : null;
  }

  function move(step) {
    var list = rows();
    if (!list.length) {
      return;
    }
    var row = currentRow();
    var index = row ? list.indexOf(row) : -1;
    if (index === -1) {
      focusRow(step > 0 ? list[0] : list[list.length - 1]);
      return;
    }
    var next = list[index + step];
    if (next) {
      focusRow(next);
    } else if (step > 0) {
      var button = saveButton(row); // past the last check: the group's save button
      if (button) {
        button.focus();
      }
    }
  }

  function choose(row, value) {
    var input = row.querySelector('.ib-outcome input[value="' + value + '"]');
    if (!input) {
      return;
    }
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
    lastRow = row;
    if (value === "defect") {
      var note = row.querySelector(".ib-note input, .ib-note textarea");
      if (note) {
        note.focus(); // shown by the CSS now that "defect" is chosen
      }
      return;
    }
    var measured = row.querySelector(".ib-measure input");
    if (measured && !measured.value.trim()) {
      measured.focus(); // a pass needs the value on record
      return;
    }
    move(1);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (isTyping(target)) {
      if (event.key === "Escape" && target.closest) {
        var typedIn = target.closest("[data-check]");
        if (typedIn) {
          event.preventDefault();
          focusRow(typedIn);
        }
      }
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (key === "j" || key === "n") {
      event.preventDefault();
      move(1);
    } else if (key === "k") {
      event.preventDefault();
      move(-1);
    } else if (key === "p" || key === "f") {
      var row = currentRow();
      event.preventDefault();
      if (row) {
        choose(row, key === "p" ? "pass" : "defect");
      } else {
        move(1); // nothing chosen yet: go to a check first
      }
    } else if (key === "s") {
      var button = saveButton(currentRow() || target);
      if (button) {
        event.preventDefault();
        button.click(); // a click, so that htmx sends the button's name and value
      }
    }
  });

  bench.addEventListener("focusin", function (event) {
    var row = event.target.closest ? event.target.closest("[data-check]") : null;
    if (row) {
      lastRow = row;
    }
  });

  // A check changed on the page and not saved yet is marked until its group is saved.
  bench.addEventListener("change", function (event) {
    var row = event.target.closest ? event.target.closest("[data-check]") : null;
    if (row) {
      row.classList.add("is-dirty");
    }
  });

  // After a group is saved with htmx: a refused one shows its first error; a finished one folds
  // (the server closed it) and the next group with checks to answer opens at its first such check.
  // Other requests (the header's bell asks for its count on load and every 30 s) may start and end
  // while a group is saving: only the group's own request sets and answers `savingGroup`.
  var savingGroup = null;
  function fromGroup(event) {
    var elt = event.detail && event.detail.requestConfig ? event.detail.requestConfig.elt : event.target;
    return elt && elt.closest ? elt.closest(".ib-group") : null;
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var group = fromGroup(event);
    if (group) {
      savingGroup = group.id;
    }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!savingGroup || !fromGroup(event)) {
      return;
    }
    var group = document.getElementById(savingGroup);
    savingGroup = null;
    if (!group) {
      return;
    }
    if (group.classList.contains("has-errors")) {
      var invalid = group.querySelector('[aria-invalid="true"]') || group.querySelector(".has-errors input");
      if (invalid) {
        invalid.focus();
      } else {
        group.querySelector("summary").focus();
      }
      return;
    }
    if (group.dataset.complete !== "true") {
      var open = Array.prototype.filter.call(group.querySelectorAll("[data-check]"), function (row) {
        return !answered(row);
      });
      if (open.length) {
        focusRow(open[0]);
      }
      return;
    }
    var groups = Array.prototype.slice.call(bench.querySelectorAll(".ib-group"));
    var after = groups.slice(groups.indexOf(group) + 1).concat(groups.slice(0, groups.indexOf(group)));
    var next = after.filter(function (item) {
      return item.dataset.complete !== "true";
    })[0];
    if (!next) {
      var pass = document.getElementById("pass-heading");
      if (pass) {
        pass.scrollIntoView({ block: "nearest" });
      }
      group.querySelector("summary").focus();
      return;
    }
    next.querySelector("details").open = true;
    var first = Array.prototype.filter.call(next.querySelectorAll("[data-check]"), function (row) {
      return !answered(row);
    })[0];
    if (first) {
      focusRow(first);
    }
  });
})();
