/* What htmx does in place, made visible and audible.

   - Failures: an htmx request that fails (a 4xx or 5xx, or no answer at all) shows one short,
     translated sentence in a live region right next to the control that sent it, and the focus
     moves there. Nothing is swapped, so a half-written reply stays in its box. The server answers
     such requests with one sentence (forum/errors.py, templates/errors/_htmx_error.html); a
     boosted form gets the whole error page, from which only the sentence is taken. Each retry
     replaces the sentence; a later success removes it. A boosted link (a page change) still
     shows the error page: that is navigation, not an action.
   - Focus: a control with data-focus-new="<selector>" (the reply form, "Load more") moves the
     focus to the first element the answer added to that container; one with
     data-focus-after="<selector>" ("Quote") moves it to that element (a text box with the caret
     at its end).
   - Announcements: what the server names in the "forum:announce" event (HX-Trigger, see
     forum/web/rendering.py) is read out in the polite live region #announcer (base.html).

   base.html loads this file once; everything listens on the document, so pages htmx swaps in
   (hx-boost) need no set-up. No inline script and no eval: the Content-Security-Policy allows
   neither. */
(function () {
  "use strict";

  if (window.forumHtmxFeedback) {
    return;
  }
  window.forumHtmxFeedback = true;

  var pending = new WeakMap(); // xhr -> {container, count} or {focus}

  function main() {
    return document.getElementById("main") || document.body;
  }

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) {
      return;
    }
    // emptied first, so the same words said twice (two "Load more") are read twice
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  }

  function focusOn(element) {
    if (!element) {
      return;
    }
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
    if (element.tagName === "TEXTAREA") {
      element.setSelectionRange(element.value.length, element.value.length);
      element.scrollTop = element.scrollHeight;
    }
  }

  // htmx names the element an event is fired on "elt" (for htmx:beforeSwap, the target); the
  // element that sent the request is the request's own.
  function sender(detail) {
    return (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
  }

  // --- failures ---------------------------------------------------------------------------------
  function isNavigation(detail) {
    var verb = detail.requestConfig ? detail.requestConfig.verb : "get";
    return Boolean(detail.boosted) && verb === "get";
  }

  function messageOf(xhr) {
    if (!xhr || xhr.status === 0) {
      return main().getAttribute("data-htmx-unreachable");
    }
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") === 0 && xhr.responseText) {
      // parsed, never inserted: only the text of the one sentence is used
      var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var sentence = answer.querySelector("[data-error-message]");
      if (sentence && sentence.textContent.trim()) {
        return sentence.textContent.trim();
      }
    }
    return main().getAttribute("data-htmx-failed");
  }

  function errorRegion(control, create) {
    var region =
      control.tagName === "FORM"
        ? control.querySelector(":scope > .htmx-error")
        : control.nextElementSibling;
    if (region && region.classList.contains("htmx-error")) {
      return region;
    }
    if (!create) {
      return null;
    }
    region = document.createElement("p");
    region.className = "htmx-error";
    region.setAttribute("role", "alert");
    region.setAttribute("tabindex", "-1");
    if (control.tagName === "FORM") {
      control.appendChild(region);
    } else {
      control.insertAdjacentElement("afterend", region);
    }
    return region;
  }

  function showFailure(control, text) {
    if (!control || !control.isConnected) {
      control = main();
    }
    var region = errorRegion(control, true);
    region.textContent = text;
    region.focus();
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr.status;
    if (status < 400 || status === 422 || isNavigation(detail)) {
      return;
    }
    detail.shouldSwap = false;
    detail.isError = false; // shown here; htmx need not log it again
    showFailure(sender(detail), messageOf(detail.xhr));
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (!isNavigation(event.detail)) {
        showFailure(sender(event.detail), messageOf(null));
      }
    });
  });

  // --- focus after a swap -----------------------------------------------------------------------
  document.addEventListener("htmx:beforeRequest", function (event) {
    var control = event.detail.elt;
    var newIn = control.getAttribute("data-focus-new");
    var after = control.getAttribute("data-focus-after");
    if (newIn && document.querySelector(newIn)) {
      pending.set(event.detail.xhr, {
        container: newIn,
        count: document.querySelector(newIn).children.length,
      });
    } else if (after) {
      pending.set(event.detail.xhr, { focus: after });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var control = sender(event.detail);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (control && status >= 200 && status < 300) {
      var region = errorRegion(control, false);
      if (region) {
        region.remove();
      }
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail.xhr;
    var plan = xhr && pending.get(xhr);
    if (!plan) {
      return;
    }
    pending.delete(xhr);
    if (xhr.status < 200 || xhr.status >= 300) {
      return;
    }
    if (plan.focus) {
      focusOn(document.querySelector(plan.focus));
      return;
    }
    var container = document.querySelector(plan.container);
    if (container && container.children.length > plan.count) {
      focusOn(container.children[plan.count]);
    }
  });

  // --- the place on a page, for Back --------------------------------------------------------------
  // htmx keeps a copy of the pages left (with where they were scrolled); when that copy is gone,
  // it asks the server for the page again and shows its top. The place is kept here as well.
  // keyed by htmx's path of the page: on Back, the address has already changed when htmx saves
  // the page being left
  document.addEventListener("htmx:beforeHistorySave", function (event) {
    try {
      sessionStorage.setItem("forum-scroll:" + event.detail.path, scrollY);
    } catch (error) {
      // storage switched off: Back shows the top of the page
    }
  });

  document.addEventListener("htmx:historyRestore", function (event) {
    if (!event.detail.cacheMiss) {
      return;
    }
    var place = null;
    try {
      place = sessionStorage.getItem("forum-scroll:" + event.detail.path);
    } catch (error) {
      return;
    }
    if (place !== null) {
      window.scrollTo(0, Number(place));
    }
  });

  // --- announcements ----------------------------------------------------------------------------
  document.addEventListener("forum:announce", function (event) {
    announce(event.detail && event.detail.value);
  });
})();
