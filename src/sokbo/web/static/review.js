// sokbo review page: link each post sentence to the source sentence it came from.
// Hover a sentence to preview its source; click (or focus and press Enter) to pin it.
// On a narrow screen a tapped sentence shows its source in a sheet at the bottom, in place:
// the page does not move, and "원문 기사에서 보기" goes to the full article on request.
(function () {
  "use strict";
  var narrowQuery = window.matchMedia ? window.matchMedia("(max-width: 900px)") : null;
  function narrow() { return !!(narrowQuery && narrowQuery.matches); }
  var sheet = document.getElementById("sheet");
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

  function sourceText(src) {
    var parts = [];
    src.childNodes.forEach(function (n) {
      if (!(n.classList && n.classList.contains("sid"))) parts.push(n.textContent);
    });
    return parts.join("").trim();
  }

  function openSheet(sent) {
    if (!sheet) return;
    var src = sourceOf(sent);
    var section = src ? src.closest(".source") : null;
    var outlet = section ? section.querySelector(".outlet") : null;
    var link = section ? section.querySelector("h3 a") : null;
    sheet.querySelector(".sheet-outlet").textContent = outlet ? outlet.textContent : "출처";
    sheet.querySelector(".sheet-id").textContent = sent.dataset.src;
    sheet.querySelector(".sheet-article").textContent = link ? link.textContent : "";
    sheet.querySelector(".sheet-text").textContent = src ? sourceText(src) :
      "이 문장의 출처를 저장된 원문에서 찾을 수 없습니다.";
    var go = sheet.querySelector(".sheet-goto");
    go.hidden = !src;
    if (src) go.setAttribute("href", "#" + src.id);
    sheet.hidden = false;
    document.body.classList.add("sheet-open");
    sheet.querySelector(".sheet-close").focus({preventScroll: true});
  }

  function closeSheet() {
    if (!sheet || sheet.hidden) return;
    sheet.hidden = true;
    document.body.classList.remove("sheet-open");
    if (pinned) pinned.focus({preventScroll: true});
  }

  if (sheet) {
    sheet.querySelector(".sheet-close").addEventListener("click", closeSheet);
    sheet.querySelector(".sheet-goto").addEventListener("click", function (e) {
      var src = pinned ? sourceOf(pinned) : null;
      if (!src) return;
      e.preventDefault();
      closeSheet();
      src.scrollIntoView({block: "center", behavior: motion});
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") closeSheet();
    });
  }

  function pick(sent) {
    pinned = sent;
    if (narrow()) {
      show(sent, null);   // highlight only: the sheet shows the source, the page stays
      openSheet(sent);
    } else {
      show(sent, "center");
    }
  }

  function restore() {
    if (pinned) show(pinned, null); else { clear(); }
  }

  document.querySelectorAll(".sent[data-src]").forEach(function (sent) {
    // no hover preview on a narrow screen: a tap would scroll the page to the source
    sent.addEventListener("mouseenter", function () { if (!narrow()) show(sent, "nearest"); });
    sent.addEventListener("mouseleave", function () { if (!narrow()) restore(); });
    sent.addEventListener("click", function () { pick(sent); });
    sent.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pick(sent);
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
