/* Member suggestions for fields marked data-mentions (see forum/web/forms.py).

   "markdown": typing @ann in a Markdown textarea offers members whose handle or name starts with
   "ann"; choosing one writes @anna_andersson. "member": the whole field is one member (the
   project contact), and choosing writes @handle into it.

   The suggestions are the server's HTML (the member search answers htmx-style requests with a
   listbox fragment), so every word is translated there. The field keeps the focus and points at
   the active option with aria-activedescendant (the ARIA listbox pattern): arrows move, Enter or
   Tab chooses, Escape closes; a live region says how many members were found. Without
   JavaScript, or signed out, the fields are plain text fields and @handle is typed by hand. */
(function () {
  "use strict";

  var DELAY = 200;
  var BEFORE_CARET = /(^|[^\w@.\/+-])@([a-z0-9_-]{1,30})$/i;
  var state = null; // {field, popup, options, active, start}
  var timer = null;
  var asked = 0;
  var status = null;

  function searchUrl() {
    var main = document.getElementById("main");
    return main && main.getAttribute("data-member-search");
  }

  function liveRegion() {
    if (!status) {
      status = document.createElement("div");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.id = "member-suggestions-status";
      document.body.appendChild(status);
    }
    return status;
  }

  function kind(field) {
    return field && field.getAttribute && field.getAttribute("data-mentions");
  }

  /* What to search for and where it starts in the value, or null. */
  function wanted(field) {
    if (kind(field) === "member") {
      var value = field.value.trim().replace(/^@/, "");
      return value ? { text: value, start: 0 } : null;
    }
    var before = field.value.slice(0, field.selectionStart);
    if (field.selectionStart !== field.selectionEnd) return null;
    var match = BEFORE_CARET.exec(before);
    if (!match) return null;
    return { text: match[2], start: before.length - match[2].length - 1 };
  }

  function prepare(field) {
    if (!field.id) field.id = "mentions-" + Math.random().toString(36).slice(2, 10);
    if (field.getAttribute("aria-autocomplete")) return;
    field.setAttribute("aria-autocomplete", "list");
    if (field.tagName === "INPUT") {
      field.setAttribute("role", "combobox");
      field.setAttribute("aria-expanded", "false");
    }
  }

  function close() {
    if (!state) return;
    var field = state.field;
    field.removeAttribute("aria-activedescendant");
    field.removeAttribute("aria-controls");
    if (field.getAttribute("role") === "combobox") field.setAttribute("aria-expanded", "false");
    if (state.popup.parentNode) state.popup.parentNode.removeChild(state.popup);
    state = null;
  }

  function activate(index) {
    if (!state || !state.options.length) return;
    var count = state.options.length;
    state.active = (index + count) % count;
    state.options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === state.active ? "true" : "false");
    });
    var option = state.options[state.active];
    state.field.setAttribute("aria-activedescendant", option.id);
    if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
  }

  function choose(option) {
    var field = state.field;
    var handle = "@" + option.getAttribute("data-handle");
    if (kind(field) === "member") {
      field.value = handle;
    } else {
      var caret = field.selectionStart;
      var after = field.value.slice(caret);
      var insert = handle + (/^\s/.test(after) ? "" : " ");
      field.value = field.value.slice(0, state.start) + insert + after;
      var position = state.start + insert.length;
      field.setSelectionRange(position, position);
    }
    close();
    liveRegion().textContent = handle;
    field.focus();
  }

  function show(field, start, html) {
    close();
    var popup = document.createElement("div");
    popup.className = "member-popup";
    popup.innerHTML = html;
    var announce = popup.querySelector("[data-announce]");
    liveRegion().textContent = announce ? announce.textContent : "";
    if (announce) announce.parentNode.removeChild(announce);
    var listbox = popup.querySelector('[role="listbox"]');
    if (!listbox) return;
    field.insertAdjacentElement("afterend", popup);
    state = {
      field: field,
      popup: popup,
      options: Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]')),
      active: 0,
      start: start
    };
    field.setAttribute("aria-controls", listbox.id);
    if (field.getAttribute("role") === "combobox") field.setAttribute("aria-expanded", "true");
    activate(0);
  }

  function search(field) {
    var url = searchUrl();
    var want = wanted(field);
    if (!url || !want) {
      close();
      return;
    }
    var ticket = ++asked;
    var query = "?q=" + encodeURIComponent(want.text) + "&for=" + encodeURIComponent(field.id);
    fetch(url + query, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (ticket !== asked || document.activeElement !== field) return;
        if (html) show(field, want.start, html);
        else close();
      })
      .catch(close);
  }

  document.addEventListener("focusin", function (event) {
    if (kind(event.target) && searchUrl()) prepare(event.target);
  });

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!kind(field) || !searchUrl()) return;
    prepare(field);
    clearTimeout(timer);
    timer = setTimeout(function () {
      search(field);
    }, DELAY);
  });

  document.addEventListener("keydown", function (event) {
    if (!state || event.target !== state.field) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      activate(state.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      choose(state.options[state.active]);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
  });

  /* mousedown, not click: the field keeps the focus */
  document.addEventListener("mousedown", function (event) {
    if (!state) return;
    var option = event.target.closest && event.target.closest('[role="option"]');
    if (option && state.popup.contains(option)) {
      event.preventDefault();
      choose(option);
    } else if (event.target !== state.field) {
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (state && event.target === state.field) close();
  });

  /* htmx may replace the form the suggestions belong to */
  document.addEventListener("htmx:beforeSwap", close);
})();
