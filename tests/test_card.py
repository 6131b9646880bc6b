"""render/card.py: a 1200×630 title card per post, headline broken between words, nothing clipped.

The fit test reads the 40 real headlines of ../shared/data/html through sokbo's extractor (skipped
when the folder is absent); the rest runs on the demo corpus and made-up headlines.
"""
from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from conftest import shared_dir

from sokbo.config import load_settings
from sokbo.errors import ConfigError
from sokbo.render.card import (
    CARD_SIZE,
    FOOT_RULE,
    MARGIN_X,
    THEMES,
    card_file,
    card_hash,
    card_image,
    draw_card,
    ensure_card,
    fonts_available,
    layout_card,
)
from sokbo.store import Store

PIL = pytest.importorskip("PIL.Image")
HTML = shared_dir() / "data" / "html"
pytestmark = pytest.mark.skipif(not fonts_available(),
                                reason="no Korean font (apt-get install fonts-nanum)")


def assert_fits(title: str, outlets: list[str], date_text: str = "2026년 11월 20일",
                label: str = "정치") -> None:
    layout = layout_card(title, outlets, date_text, label)
    width, height = CARD_SIZE
    assert layout.lines, title
    for kind, (left, top, right, bottom) in layout.boxes:
        assert MARGIN_X <= left and right <= width - MARGIN_X, (kind, title, layout)
        assert 0 < top and bottom < height, (kind, title, layout)
        if kind in ("title", "label"):
            assert bottom < FOOT_RULE, (kind, title, layout)  # above the footer rule
        else:
            assert top > FOOT_RULE, (kind, title, layout)
    # lines break between eojeol (or after a clause-ending "…") only, never inside a word
    text = " ".join(title.split())
    pos = 0
    for i, line in enumerate(layout.lines):
        last = layout.truncated and i == len(layout.lines) - 1
        body = line[:-1] if last else line
        assert text.startswith(body, pos), (title, layout.lines)
        pos += len(body)
        if not last and pos < len(text):
            assert text[pos] == " " or text[pos - 1] in "…‥.", (title, layout.lines)
            pos += text[pos] == " "
    assert layout.truncated or pos == len(text), (title, layout.lines)
    boxes = [b for k, b in layout.boxes if k == "title"]
    assert all(a[3] <= b[1] for a, b in zip(boxes, boxes[1:], strict=False)), "title lines overlap"


def shared_headlines() -> list[str]:
    from sokbo import extract
    from sokbo.errors import ExtractError
    from sokbo.fetch import decode_html

    titles = []
    for page in sorted(HTML.glob("*.html")):
        html = decode_html(page.read_bytes(), None)
        try:
            titles.append(extract.extract_page(html, url=f"https://news.example/{page.stem}").title)
        except ExtractError:  # a page whose body sokbo cannot find still has its headline
            titles.append(extract._meta(html)["og:title"])
    return titles


@pytest.mark.skipif(not HTML.is_dir(), reason="../shared/data/html not present")
def test_the_40_real_headlines_fit() -> None:
    titles = shared_headlines()
    assert len(titles) == 40
    outlets = ["연합뉴스TV", "SBS", "KBS", "MBC"]
    for title in titles:
        assert title.strip()
        assert_fits(title, outlets)


@pytest.mark.parametrize("title", [
    "AI 반도체 수출 18% 증가",
    "부산시 기장 앞바다 해상풍력 1조2천억 투자",
    "초소형위성 바다별 1호 첫 교신 성공",
    "가" * 14,                                         # one long eojeol
    "국토교통부장관직무대행겸기획조정실장 발표",     # a word nearly a line long
    " ".join(["반도체"] * 60),                          # far too long: cut at a word with …
])
def test_made_up_headlines_fit(title: str) -> None:
    assert_fits(title, ["한빛일보", "미래방송", "새누리경제", "동해뉴스", "온누리신문"] * 3)


def test_too_long_headline_is_cut_at_a_word() -> None:
    layout = layout_card(" ".join(["반도체"] * 60), ["한빛일보"], "2026년 11월 20일")
    assert layout.truncated and layout.lines[-1].endswith("반도체…")


def test_many_outlets_are_summarised() -> None:
    outlets = [f"지역뉴스{i}" for i in range(20)]
    layout = layout_card("제목", outlets, "2026년 11월 20일")
    assert re.search(r"외 \d+곳$", layout.footer_left)


def test_demo_posts_have_cards_referenced_three_ways(demo_run) -> None:
    """Front matter image, the body's first <img> and the preview's og:image name the card."""
    settings, report = demo_run
    assert report.posts
    for result in report.posts:
        post = result.post
        card = card_file(settings.out_dir, post)
        with PIL.open(card) as img:
            assert img.size == CARD_SIZE and img.format == "PNG"
        assert oct(card.stat().st_mode & 0o777) in ("0o644", "0o640", "0o600", "0o664")
        text = result.path.read_text("utf-8")
        url = f"/assets/cards/{post.slug}.png"
        assert f"image: '{url}'" in text
        first_img = re.search(r'<img src="([^"]+)"', text)
        assert first_img and first_img.group(1) == url
    page = (settings.out_dir / "site" / "posts" / "1.html").read_text("utf-8")
    og = re.search(r'<meta property="og:image" content="([^"]+)"', page)
    assert og and og.group(1).endswith(".png") and "/assets/cards/" in og.group(1)
    body_img = re.search(r'<img src="([^"]+)"', page.split('<div class="body">', 1)[1])
    assert body_img and body_img.group(1).startswith("../../assets/cards/")
    from urllib.parse import unquote

    assert (settings.out_dir / "site" / "posts" / unquote(body_img.group(1))).resolve().is_file()


def test_configured_image_wins(demo_dir: Path, tmp_path: Path) -> None:
    from sokbo.pipeline import run_pipeline

    cfg = tmp_path / "sokbo.toml"
    cfg.write_text('[post]\nimage = "https://blog.example/banner.png"\n', "utf-8")
    settings = load_settings(cfg).with_overrides(out_dir=tmp_path / "out")
    report = run_pipeline(settings, [str(demo_dir / "feed.xml")])
    text = report.posts[0].path.read_text("utf-8")
    assert "image: 'https://blog.example/banner.png'" in text
    assert '<img src="https://blog.example/banner.png"' in text
    assert not (settings.out_dir / "assets" / "cards").exists()


def test_card_theme_and_base_url_are_configurable(demo_dir: Path, tmp_path: Path) -> None:
    from sokbo.pipeline import run_pipeline

    cfg = tmp_path / "sokbo.toml"
    cfg.write_text('[card]\ntheme = "paper"\nbase_url = "https://cdn.blog.example/cards/"\n',
                   "utf-8")
    settings = load_settings(cfg).with_overrides(out_dir=tmp_path / "out")
    report = run_pipeline(settings, [str(demo_dir / "feed.xml")])
    post = report.posts[0].post
    assert post.image == f"https://cdn.blog.example/cards/{post.slug}.png"
    with PIL.open(card_file(settings.out_dir, post)) as img:
        assert img.getpixel((600, 20)) == (0xf7, 0xf4, 0xec)  # the paper background


@pytest.mark.parametrize("card", [
    '[card]\ntheme = "neon"\n',
    '[card]\nbase_url = "javascript:alert(1)/"\n',
    '[card]\nbase_url = "/assets/cards"\n',           # no trailing slash
    '[card]\nbase_url = "//evil.example/"\n',
])
def test_bad_card_settings_are_one_config_error(tmp_path: Path, card: str) -> None:
    cfg = tmp_path / "sokbo.toml"
    cfg.write_text(card, "utf-8")
    with pytest.raises(ConfigError, match="card"):
        load_settings(cfg)


def test_every_theme_draws(demo_run) -> None:
    settings, report = demo_run
    post = report.posts[0].post
    seen = set()
    for name, theme in THEMES.items():
        png = draw_card(post, name)
        with PIL.open(io.BytesIO(png)) as img:
            assert img.size == CARD_SIZE
            seen.add(img.getpixel((600, 20)))
            assert img.getpixel((600, 20)) == PIL.new("RGB", (1, 1), theme.background).getpixel(
                (0, 0))
    assert len(seen) == len(THEMES)


def test_the_png_holds_the_drawn_pixels_and_the_cards_hash(demo_run) -> None:
    _, report = demo_run
    post = report.posts[0].post
    drawn = card_image(post, "paper")
    with PIL.open(io.BytesIO(draw_card(post, "paper"))) as img:
        img.load()
        assert img.format == "PNG" and img.mode == "RGB" and img.size == CARD_SIZE
        assert img.tobytes() == drawn.tobytes()  # lossless: every pixel as drawn
        assert img.info["sokbo-card"] == card_hash(post, "paper")
    # a PNG any reader verifies: Pillow checks each chunk's CRC when asked to
    with PIL.open(io.BytesIO(draw_card(post, "paper"))) as img:
        img.verify()


def test_ensure_card_redraws_only_when_the_card_changes(demo_run, tmp_path: Path) -> None:
    settings, report = demo_run
    post = report.posts[0].post
    path = ensure_card(tmp_path, post)
    first = path.stat().st_mtime_ns
    assert ensure_card(tmp_path, post) == path and path.stat().st_mtime_ns == first
    retitled = dataclasses.replace(post, title="새 제목으로 바꾼 글")
    ensure_card(tmp_path, retitled)
    assert path.read_bytes() == draw_card(retitled)
    assert path.read_bytes() != draw_card(post)


def test_stored_cards_match_their_posts(demo_run) -> None:
    settings, _ = demo_run
    with Store(settings.db_path) as store:
        posts = [store.load_post(r.id) for r in store.list_posts()]
    for post in posts:
        assert card_file(settings.out_dir, post).is_file()
