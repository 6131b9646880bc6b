// sokbo review page: link each post sentence to the source sentence it came from.
// Hover a sentence to preview its source; click (or focus and press Enter) to pin it.
(function () {
  "use strict";
  var reduceMotion = window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var trace = document.getElementById("trace");
  var pinned = null;

  var motion = reduceMotion ? "auto" : "smooth";

  // Bring a source sentence into sight by scrolling the sources pane, not the page, so the
  // post sentence the reviewer just clicked stays where it is. The page only moves when the
  // pane cannot scroll far enough (or is not a scroll box, on narrow screens).
  function reveal(el, center) {
    var pane = el.closest(".sources-pane");
    var scrolls = pane && pane.scrollHeight > pane.clientHeight + 1 &&
      getComputedStyle(pane).overflowY !== "visible";
    if (!scrolls) {
      el.scrollIntoView({block: center ? "center" : "nearest", behavior: motion});
      return;
    }
    var p = pane.getBoundingClientRect(), r = el.getBoundingClientRect();
    var top = Math.max(p.top, 0) + (trace ? trace.offsetHeight : 0);
    var bottom = Math.min(p.bottom, window.innerHeight);
    if (!center && r.top >= top && r.bottom <= bottom) return;
    var want = center ? (top + bottom - r.height) / 2 : (r.top < top ? top : bottom - r.height);
    var max = pane.scrollHeight - pane.clientHeight;
    var next = Math.min(max, Math.max(0, pane.scrollTop + r.top - want));
    var landed = r.top - (next - pane.scrollTop);
    pane.scrollTo({top: next, behavior: motion});
    if (landed < 0) {
      window.scrollBy({top: landed - 16, behavior: motion});
    } else if (landed + r.height > window.innerHeight) {
      window.scrollBy({top: landed + r.height - window.innerHeight + 16, behavior: motion});
    }
  }

  function sourceOf(sent) {
    return document.getElementById("src-" + sent.dataset.src.replace("#", "-"));
  }

  function clear() {
    document.querySelectorAll(".hl").forEach(function (el) {
      el.classList.remove("hl");
      el.removeAttribute("aria-current");
    });
  }

  function say(text) {
    if (trace) trace.textContent = text;
  }

  function show(sent, block) {
    clear();
    sent.classList.add("hl");
    var src = sourceOf(sent);
    if (!src) {
      say("포스트 문장 " + sent.dataset.pos + "번의 출처 " + sent.dataset.src +
          "를 저장된 원문에서 찾을 수 없습니다.");
      return;
    }
    src.classList.add("hl");
    src.setAttribute("aria-current", "true");
    var outlet = src.closest(".source").querySelector(".outlet");
    say("포스트 문장 " + sent.dataset.pos + "번 ← " + (outlet ? outlet.textContent + " " : "") +
        sent.dataset.src);
    if (block) reveal(src, block === "center");
  }

  function restore() {
    if (pinned) show(pinned, null); else { clear(); }
  }

  document.querySelectorAll(".sent[data-src]").forEach(function (sent) {
    sent.addEventListener("mouseenter", function () { show(sent, "nearest"); });
    sent.addEventListener("mouseleave", restore);
    sent.addEventListener("click", function () { pinned = sent; show(sent, "center"); });
    sent.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pinned = sent;
        show(sent, "center");
      }
    });
  });

  // The other way round: a cited source sentence highlights the post sentences using it.
  document.querySelectorAll(".src-sent.cited").forEach(function (src) {
    src.addEventListener("click", function () {
      clear();
      pinned = null;
      src.classList.add("hl");
      var first = null;
      src.dataset.usedBy.split(" ").forEach(function (pos) {
        var s = document.querySelector('.blog .sent[data-pos="' + pos + '"]');
        if (s) { s.classList.add("hl"); first = first || s; }
      });
      say(src.dataset.src + " → 포스트 문장 " + src.dataset.usedBy.split(" ").join(", ") + "번");
      if (first) first.scrollIntoView({block: "nearest", behavior: motion});
    });
  });
})();
