// Keyboard shortcuts of the review queue, and text selection to add a missed mention.
// Everything works without this file; it only saves clicks.
(function () {
  "use strict";

  function typing(target) {
    return target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName);
  }

  function setupQueue() {
    var items = Array.prototype.slice.call(document.querySelectorAll("li.mention"));
    if (!items.length) return;
    var current = 0;
    function select(index) {
      if (index < 0 || index >= items.length) return;
      items[current].classList.remove("current");
      current = index;
      items[current].classList.add("current");
      items[current].focus();
      items[current].scrollIntoView({ block: "nearest" });
    }
    items.forEach(function (item, index) {
      item.addEventListener("focusin", function () {
        items[current].classList.remove("current");
        current = index;
        item.classList.add("current");
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      var item = items[current];
      var key = event.key;
      if (key === "j" || key === "n") select(current + 1);
      else if (key === "k" || key === "p") select(current - 1);
      else if (key === "a") {
        var accept = item.querySelector("form.accept");
        if (accept) accept.submit();
      } else if (key === "r") {
        var reason = item.querySelector("form.reject select");
        if (reason) reason.focus();
      } else if (key === "c") {
        var correct = item.querySelector("a.button");
        if (correct) window.location = correct.href;
      } else if (key === "o") {
        window.location = item.querySelector("a.open").href;
      } else if (key === "/") {
        var search = document.getElementById("f-q");
        if (search) search.focus();
      } else return;
      event.preventDefault();
    });
    select(0);
  }

  function setupSelection() {
    var text = document.getElementById("article-text");
    var field = document.getElementById("add-text");
    var start = document.getElementById("add-start");
    if (!text || !field || !start) return;
    text.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      var range = selection.getRangeAt(0);
      if (!text.contains(range.startContainer)) return;
      var before = document.createRange();
      before.setStart(text, 0);
      before.setEnd(range.startContainer, range.startOffset);
      field.value = selection.toString();
      start.value = String(before.toString().length);
    });
  }

  // The article page opens at its title; the mention it was opened for (?m=) is outlined,
  // and its place in the text brought into view only when it lies below the first screen.
  function setupArticle() {
    var wanted = new URLSearchParams(window.location.search).get("m");
    if (!wanted || !/^[A-Za-z0-9_-]+$/.test(wanted)) return;
    var item = document.getElementById("m-" + wanted);
    var mark = document.getElementById("t-" + wanted);
    if (item) item.classList.add("current");
    if (mark) {
      mark.classList.add("current");
      if (mark.getBoundingClientRect().top > window.innerHeight) {
        mark.scrollIntoView({ block: "center" });
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupQueue();
    setupSelection();
    setupArticle();
  });
})();
