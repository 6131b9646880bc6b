"""The review page in a real browser (Debian chromium via Playwright): trace, approve, publish.

Leaves a screenshot of the post view in tests/artifacts/post-view.png for a human to look at.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_web import make_site
from webserver import live_server

from sokbo.store import Store
from sokbo.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at "
                       "/usr/bin/chromium (apt-get install chromium)"),
]

# the first post sentence whose source sentence is out of sight in the sources pane
FIND_HIDDEN = """() => {
  const pane = document.querySelector('.sources-pane').getBoundingClientRect();
  const bottom = Math.min(pane.bottom, window.innerHeight);
  for (const s of document.querySelectorAll('.blog .sent[data-src]')) {
    const src = document.getElementById('src-' + s.dataset.src.replace('#', '-'));
    if (!src) continue;
    const r = src.getBoundingClientRect();
    if (r.top >= bottom || r.bottom <= pane.top) return s.dataset.pos;
  }
  return null;
}"""


def test_review_trace_approve_publish(demo_run, tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    base_settings, _ = demo_run
    out = tmp_path / "out"
    shutil.copytree(base_settings.out_dir, out)
    settings = base_settings.with_overrides(out_dir=out)
    site = make_site(tmp_path / "site")
    with Store(settings.db_path) as store:  # the draft with the most sources
        draft = max(store.list_posts("draft"),
                    key=lambda r: (len(store.story_articles(r.story_id)), -r.id))

    problems: list[str] = []
    with live_server(create_app(settings, site_repo=site)) as base, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                    reduced_motion="reduce", locale="ko-KR")
            page.set_default_timeout(10_000)
            # no network: only the review server answers (the post's banner image is remote)
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(base) else route.abort())
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("console", lambda m: problems.append(m.text)
                    if "Content Security Policy" in m.text else None)

            page.goto(base + "/")
            expect(page.locator("table.stories tr.story")).to_have_count(4)
            page.locator(f'tr.story[data-post-id="{draft.id}"] td.title a').click()
            expect(page).to_have_url(f"{base}/posts/{draft.id}")
            expect(page.locator("#post-status")).to_have_text("검토 대기")

            # click a post sentence: its source sentence is highlighted and scrolled into view;
            # measure only once the web fonts have loaded, or the layout can still shift
            page.wait_for_load_state("load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            pos = page.evaluate(FIND_HIDDEN)
            assert pos is not None, "every source sentence is already visible; nothing to test"
            sent = page.locator(f'.blog .sent[data-pos="{pos}"]')
            src_id = sent.get_attribute("data-src")
            source = page.locator(f'#src-{src_id.replace("#", "-")}')
            expect(source).not_to_be_in_viewport()
            sent.click()
            expect(source).to_have_class(re.compile(r"\bhl\b"))
            expect(source).to_have_attribute("aria-current", "true")
            expect(source).to_be_in_viewport()
            expect(sent).to_have_class(re.compile(r"\bhl\b"))
            expect(sent).to_be_in_viewport()            # the page did not jump away from it
            expect(page.locator("#trace")).to_contain_text(src_id)
            assert page.locator(".src-sent.hl").count() == 1
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "post-view.png"))

            # hovering another sentence moves the highlight; leaving restores the pinned one
            other = page.locator(f'.blog .sent:not([data-src="{src_id}"])').first
            other_src = other.get_attribute("data-src")
            other.hover()
            expect(page.locator(f'#src-{other_src.replace("#", "-")}')).to_have_class(
                re.compile(r"\bhl\b"))
            page.locator("h1").first.hover()
            expect(source).to_have_class(re.compile(r"\bhl\b"))

            # approve, then publish, through the page's own forms
            page.locator("button.approve").click()
            expect(page.locator(".flash")).to_contain_text("승인했습니다")
            expect(page.locator("#post-status")).to_have_text("승인됨")
            page.locator("button.publish").click()
            expect(page.locator(".flash")).to_contain_text("발행")
            expect(page.locator("#post-status")).to_have_text("발행됨")
        finally:
            browser.close()
    assert problems == []

    with Store(settings.db_path) as store:
        published = store.get_post_by_id(draft.id)
    assert published.status == "published"
    name = Path(published.path).name
    assert (site / "_posts" / name).is_file()
    log = subprocess.run(["git", "-c", "core.quotepath=false", "log", "--name-only",
                          "--format=%s"], cwd=site, capture_output=True, text=True,
                         check=True).stdout
    assert f"_posts/{name}" in log
    assert "sokbo: publish" in log
    status = subprocess.run(["git", "status", "--porcelain"], cwd=site, capture_output=True,
                            text=True, check=True).stdout
    assert status == ""
