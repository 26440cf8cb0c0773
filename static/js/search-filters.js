/* The search page's filters (templates/search/_results.html) are folded in a <details>, closed
   in the HTML so that a phone shows the first result at once. On a wide screen this opens them;
   once the reader opens or closes them, their choice holds while htmx swaps in new results
   (each swap brings a closed <details> again). Loaded on every page by base.html: the search
   page may arrive through hx-boost, which runs no script it brings. */
(function () {
  "use strict";

  if (window.forumSearchFilters) {
    return;
  }
  window.forumSearchFilters = true;

  var wide = window.matchMedia("(min-width: 48rem)");
  var chosen = null; // the reader's own choice on this page, or null

  function fold() {
    return document.getElementById("search-filters-details");
  }

  function apply() {
    var details = fold();
    if (details) {
      details.open = chosen === null ? wide.matches : chosen;
    }
  }

  // a summary opened with the keyboard gets a click too
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("#search-filters-details > summary");
    if (summary) {
      chosen = !summary.parentElement.open; // it is about to toggle
    }
  });
  wide.addEventListener("change", function () {
    chosen = null;
    apply();
  });
  document.addEventListener("htmx:afterSwap", apply);
  document.addEventListener("htmx:historyRestore", function () {
    chosen = null;
    apply();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
})();
