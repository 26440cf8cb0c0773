/* Drafts of what a member is writing, kept in this browser, and a warning before leaving them.

   A form with data-draft="<what>" (the reply form, the new-thread form) and data-draft-owner=
   "<member id>" on itself or around it (the reply form is cached for every member) keeps the
   text of its text boxes in localStorage under "forum-draft:<member id>:<what>", at every
   keystroke. The key names the member, so another member logging in on the same browser never
   sees it, and logging out removes every draft.

   - Restored when the form appears: at page load, on a page htmx brings in (hx-boost) and when
     htmx restores a page from its history (Back), whose copy of the page has the text boxes as
     the server sent them, empty. A form htmx swaps in on its own (a quote added to the reply, a
     refused reply with its message) holds the newest text: it is kept and saved instead.
   - Removed when the form was sent and accepted (a 2xx answer to the form itself).
   - Leaving a page with unsent text asks first: a link htmx follows (hx-boost) with a confirm,
     closing or reloading the tab with the browser's own question (beforeunload).

   Discourse keeps drafts on the server; here the browser keeps them, which needs no table, no
   request per keystroke and works offline, at the price of not following the member to another
   device. Without JavaScript the browser's own form restore applies. */
(function () {
  "use strict";

  if (window.forumDrafts) {
    return;
  }
  window.forumDrafts = true;

  var PREFIX = "forum-draft:";
  var FIELDS = "textarea[name], input[name][type=text]";
  var sending = false;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: no drafts, the rest still works
    }
  }

  function keyOf(form) {
    var holder = form.closest("[data-draft-owner]");
    var owner = holder && holder.getAttribute("data-draft-owner");
    return owner ? PREFIX + owner + ":" + form.getAttribute("data-draft") : null;
  }

  function fields(form) {
    return Array.prototype.slice.call(form.querySelectorAll(FIELDS));
  }

  function hasText(form) {
    return fields(form).some(function (field) {
      return field.value.trim() !== "";
    });
  }

  function save(form) {
    var store = storage();
    var key = keyOf(form);
    if (!store || !key) {
      return;
    }
    if (!hasText(form)) {
      store.removeItem(key);
      return;
    }
    var values = {};
    fields(form).forEach(function (field) {
      values[field.name] = field.value;
    });
    try {
      store.setItem(key, JSON.stringify(values));
    } catch (error) {
      // full: the text stays in the box, only the copy is missing
    }
  }

  function load(form) {
    var store = storage();
    var key = keyOf(form);
    if (!store || !key) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function discard(form) {
    var store = storage();
    var key = keyOf(form);
    if (store && key) {
      store.removeItem(key);
    }
  }

  function restore(form) {
    var values = load(form);
    if (!values) {
      return;
    }
    fields(form).forEach(function (field) {
      if (typeof values[field.name] === "string" && field.value !== values[field.name]) {
        field.value = values[field.name];
      }
    });
  }

  function draftForms(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("form[data-draft]"));
    if (root.matches && root.matches("form[data-draft]")) {
      found.unshift(root);
    }
    return found;
  }

  function unsentForms() {
    return draftForms(document).filter(hasText);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (form) {
      save(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    draftForms(document).forEach(restore);
  });

  document.addEventListener("htmx:historyRestore", function () {
    draftForms(document).forEach(restore);
  });

  document.addEventListener("htmx:load", function (event) {
    var loaded = event.detail.elt;
    if (loaded.matches && loaded.matches("form[data-draft]")) {
      save(loaded); // swapped in on its own: the newest text, e.g. with a quote added
    } else if (loaded.querySelectorAll) {
      draftForms(loaded).forEach(restore); // a whole page brought in
    }
  });

  // Sent and accepted: the draft has become a post (or a thread) and is removed before the
  // fresh, empty form is swapped in, so that form is not filled with it again.
  function forgetIfAccepted(event) {
    var detail = event.detail;
    // the form that sent the request (for htmx:beforeSwap, detail.elt is the target)
    var form = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    var status = detail.xhr ? detail.xhr.status : 0;
    if (form && form.matches && form.matches("form[data-draft]") && status >= 200 && status < 300) {
      discard(form);
    }
  }
  document.addEventListener("htmx:beforeSwap", forgetIfAccepted);
  document.addEventListener("htmx:afterRequest", forgetIfAccepted);

  // Leaving with unsent text: a page change through htmx (a boosted link or another form) asks.
  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail;
    if (detail.target !== document.body || detail.elt.closest("form[data-draft]")) {
      return; // a part of this page changes, or the draft's own form is being sent
    }
    var unsent = unsentForms();
    if (!unsent.length) {
      return;
    }
    event.preventDefault();
    if (window.confirm(unsent[0].getAttribute("data-draft-leave"))) {
      detail.issueRequest(true);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-drafts-clear")) {
      var store = storage();
      if (store) {
        Object.keys(store)
          .filter(function (key) {
            return key.indexOf(PREFIX) === 0;
          })
          .forEach(function (key) {
            store.removeItem(key);
          });
      }
    }
    if (form.matches("form[data-draft]")) {
      sending = true; // a form sent the plain way is leaving on purpose
      window.setTimeout(function () {
        sending = false;
      }, 1000);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!sending && unsentForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
