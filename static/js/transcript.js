/* The transcript of an event's recording (templates/events/_recording.html).

   Each cue is <li id="t=SECONDS" data-start data-end> in an <ol class="transcript"
   data-video="ID"> whose time code links to the video file at "#t=SECONDS" (a media fragment).
   Without JavaScript that link plays the file from there, and /events/<id>#t=SECONDS scrolls to
   the cue. With it, a time code seeks the page's video instead, the page's address becomes
   #t=SECONDS (to share the moment), opening the page at #t=SECONDS seeks the video there, and the
   cue being spoken is highlighted (aria-current) as the video plays.

   base.html loads this file on every page, once: the page with a recording may arrive by htmx
   (hx-boost), which runs no script in what it swaps in (the Content-Security-Policy and
   htmx.config.allowScriptTags), so every page is handled through delegated listeners and a
   page htmx brought in is looked at when it has settled. */
(function () {
  "use strict";

  if (window.forumTranscript) {
    window.forumTranscript.start();
    return;
  }

  var HASH = /^#t=(\d+)$/;

  function transcript() {
    return document.querySelector("ol.transcript[data-video]");
  }

  function videoOf(list) {
    return list && document.getElementById(list.getAttribute("data-video"));
  }

  function seek(video, seconds) {
    var go = function () {
      video.currentTime = seconds;
    };
    if (video.readyState >= 1) {
      go();
    } else {
      video.addEventListener("loadedmetadata", go, { once: true });
      if (video.preload === "none") {
        video.preload = "metadata";
      }
    }
  }

  function mark(list, seconds) {
    var current = null;
    list.querySelectorAll("li[data-start]").forEach(function (item) {
      var start = Number(item.getAttribute("data-start"));
      var end = Number(item.getAttribute("data-end"));
      if (current === null && start <= seconds && seconds < Math.max(end, start + 1)) {
        current = item;
      }
    });
    list.querySelectorAll("li[aria-current]").forEach(function (item) {
      if (item !== current) {
        item.removeAttribute("aria-current");
      }
    });
    if (current) {
      current.setAttribute("aria-current", "true");
    }
    return current;
  }

  function reveal(item) {
    var details = item.closest("details");
    if (details) {
      details.open = true;
    }
    item.scrollIntoView({ block: "center" });
  }

  function goTo(seconds, fromLink) {
    var list = transcript();
    var video = videoOf(list);
    if (!list) {
      return;
    }
    var item = mark(list, seconds);
    if (item && !fromLink) {
      reveal(item);
    }
    if (video) {
      seek(video, seconds);
    }
  }

  function start() {
    var match = HASH.exec(window.location.hash);
    if (match) {
      goTo(Number(match[1]), false);
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-seek]");
    var video = link && videoOf(link.closest("ol.transcript"));
    if (!video) {
      return; // an external video: the link goes to the cue's own address
    }
    event.preventDefault();
    var seconds = Number(link.getAttribute("data-seek"));
    history.replaceState(history.state, "", "#t=" + seconds);
    goTo(seconds, true);
  });

  // Media events do not bubble: listen while they go down to the video.
  document.addEventListener(
    "timeupdate",
    function (event) {
      var list = transcript();
      if (list && event.target === videoOf(list)) {
        mark(list, Math.floor(event.target.currentTime));
      }
    },
    true
  );

  window.addEventListener("hashchange", start);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.boosted) {
      start(); // a page, not a part of one: a reply posted below must not move the video
    }
  });
  window.forumTranscript = { start: start };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
