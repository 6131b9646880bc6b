"""The review page on a phone (Debian chromium via Playwright, 390×844 and 360/414 wide): no
sideways scrolling, tap targets of at least 44 px, and a tapped sentence shows its source in a
sheet in place, without moving the page. Saves a screenshot and prints its path."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_browser import CHROMIUM, LAUNCH_ARGS
from test_web import make_site
from webserver import live_server

from sokbo.store import Store
from sokbo.web import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at "
                       "/usr/bin/chromium (apt-get install chromium)"),
]
PHONE = {"width": 390, "height": 844}
TAP = 44  # px: the smallest comfortable touch target (WCAG 2.5.5, Apple HIG)
# controls a thumb has to hit; text links inside sentences are exempt, as WCAG allows
CONTROLS = (".top a, .filters a, .actions button, .actions input[type=text], "
            "table.stories td.title a, .post-head .crumbs a, details > summary")

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
SMALL_TARGETS = """(selector) => {
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;          // not shown
    if (r.height < %d || r.width < %d) small.push(el.outerHTML.slice(0, 80) + ' ' +
        Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return small;
}""" % (TAP, TAP)


@pytest.fixture
def served(demo_run, tmp_path: Path):
    base_settings, _ = demo_run
    out = tmp_path / "out"
    shutil.copytree(base_settings.out_dir, out)
    settings = base_settings.with_overrides(out_dir=out)
    with Store(settings.db_path) as store:
        draft = max(store.list_posts("draft"),
                    key=lambda r: (len(store.story_articles(r.story_id)), -r.id))
    with live_server(create_app(settings, site_repo=make_site(tmp_path / "site"))) as base:
        yield base, draft


def test_review_page_on_a_phone(served, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    base, draft = served
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                          has_touch=True, locale="ko-KR",
                                          reduced_motion="reduce")
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(base) else route.abort())
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

            for width in (360, 390, 414):
                page.set_viewport_size({"width": width, "height": 844})
                for path in ("/", f"/posts/{draft.id}"):
                    page.goto(base + path)
                    page.wait_for_load_state("load")
                    page.evaluate("() => document.fonts.ready.then(() => true)")
                    assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at {width}px"
                    assert page.evaluate(SMALL_TARGETS, CONTROLS) == [], (width, path)
            page.set_viewport_size(PHONE)

            # the index: every story is a readable card, times in KST
            page.goto(base + "/")
            expect(page.locator("table.stories tr.story")).to_have_count(4)
            assert "KST" in page.locator("table.stories").inner_text()
            assert "UTC" not in page.content()

            # a tapped sentence shows its source right there, in a sheet; the page stays put
            page.goto(f"{base}/posts/{draft.id}")
            page.wait_for_load_state("load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            sent = page.locator(".blog .sent[data-src]").nth(3)
            sent.scroll_into_view_if_needed()
            src_id = sent.get_attribute("data-src")
            source = page.locator(f'#src-{src_id.replace("#", "-")}')
            before = page.evaluate("() => window.scrollY")
            sent.tap()
            sheet = page.locator("#sheet")
            expect(sheet).to_be_visible()
            expect(sheet).to_be_in_viewport()
            source_text = source.inner_text().split(" ", 1)[1].strip()
            expect(sheet.locator(".sheet-text")).to_have_text(source_text)
            expect(sheet.locator(".sheet-outlet")).not_to_be_empty()
            assert page.evaluate("() => window.scrollY") == before, "the page jumped"
            expect(sent).to_be_in_viewport()
            expect(sent).to_have_class(__import__("re").compile(r"\bhl\b"))
            close = sheet.locator("button.sheet-close")
            box = close.bounding_box()
            assert box and box["width"] >= TAP and box["height"] >= TAP
            shot = tmp_path / "review-phone.png"
            page.screenshot(path=str(shot))
            print(f"\nphone screenshot: {shot}")
            close.tap()
            expect(sheet).to_be_hidden()
            # "원문에서 보기" in the sheet is the way to the full source, on request only
            sent.tap()
            sheet.locator("a.sheet-goto").tap()
            expect(source).to_be_in_viewport()
            expect(sheet).to_be_hidden()
        finally:
            browser.close()
    assert problems == []
