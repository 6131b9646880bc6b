"""Title cards: a 1200×630 PNG per post (the size blogs and social sites show as a preview),
with the headline broken between words (eojeol), the outlets and the story date.

The card is the post's image unless ``post.image`` is configured: written beside the posts as
``OUT/assets/cards/<slug>.png`` and referenced as ``<card.base_url><slug>.png`` (default
``/assets/cards/``, a path from the site root). A PNG carries the hash of what it shows in a
text chunk, so ``ensure_card`` redraws it only when the title, outlets, date or theme change.
Pillow is imported only when a card is drawn.
"""
from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from sokbo.dates import to_kst
from sokbo.fsutil import atomic_write_bytes
from sokbo.models import Post, content_hash

log = logging.getLogger(__name__)

__all__ = ["CARD_SIZE", "THEMES", "CardLayout", "attach_card", "card_file", "draw_card",
           "ensure_card", "layout_card"]

CARD_SIZE = (1200, 630)
CARD_DIR = "assets/cards"
DEFAULT_BASE_URL = "/assets/cards/"
# bump when the drawing changes, so existing cards are drawn again
CARD_VERSION = "1"
_HASH_KEY = "sokbo-card"


@dataclass(frozen=True, slots=True)
class Theme:
    background: str
    title: str
    meta: str
    accent: str
    label: str       # text colour on the accent label


THEMES: dict[str, Theme] = {
    "navy": Theme("#14365c", "#ffffff", "#b9c8da", "#ee2323", "#ffffff"),
    "paper": Theme("#f7f4ec", "#1d232b", "#5f6b7a", "#1a5490", "#ffffff"),
    "red": Theme("#a61f1a", "#ffffff", "#f3cdc9", "#1d232b", "#ffffff"),
    "forest": Theme("#1e4d3a", "#ffffff", "#bdd7c9", "#f2c14e", "#1d232b"),
    "charcoal": Theme("#23272d", "#f5f5f5", "#a9b1ba", "#f2c14e", "#1d232b"),
}

# Debian fonts-nanum; NanumSquare is the display face, NanumGothic the fallback and the text face
FONT_DIRS = (Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/nanum"))
BOLD_FONTS = ("NanumSquareB.ttf", "NanumGothicBold.ttf", "NanumBarunGothicBold.ttf")
TEXT_FONTS = ("NanumGothic.ttf", "NanumBarunGothic.ttf", "NanumSquareR.ttf")

# geometry (pixels on the 1200×630 card)
MARGIN_X = 80
LABEL_TOP = 64
LABEL_SIZE = 28
HEAD_TOP = 150           # headline block: between these two lines, vertically centred
HEAD_BOTTOM = 470
FOOT_RULE = 500
FOOT_BASELINE = 566
FOOT_SIZE = 30
TITLE_SIZES = tuple(range(84, 39, -4))
LINE_HEIGHT = 1.28
MAX_LINES = 4


@dataclass(frozen=True, slots=True)
class CardLayout:
    """Where everything goes: the headline's lines and font size, and every text box drawn
    (left, top, right, bottom), so a test can check that nothing leaves the card."""

    lines: tuple[str, ...]
    title_size: int
    label: str
    footer_left: str
    footer_right: str
    boxes: tuple[tuple[str, tuple[int, int, int, int]], ...]
    truncated: bool = False


# --- fonts -------------------------------------------------------------------------------------


@cache
def _font_path(names: tuple[str, ...]) -> str | None:
    for folder in FONT_DIRS:
        for name in names:
            if (folder / name).is_file():
                return str(folder / name)
    try:  # any Korean font fontconfig knows of
        found = subprocess.run(["fc-match", "-f", "%{file}", "sans:lang=ko"],
                               capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found and Path(found).is_file() and found.endswith((".ttf", ".otf",
                                                                        ".ttc")) else None


@cache
def _font(bold: bool, size: int) -> Any:
    from PIL import ImageFont

    path = _font_path(BOLD_FONTS if bold else TEXT_FONTS)
    if path is None:
        return None
    return ImageFont.truetype(path, size)


def fonts_available() -> bool:
    return _font_path(BOLD_FONTS) is not None and _font_path(TEXT_FONTS) is not None


# --- layout ------------------------------------------------------------------------------------


# Headlines join two clauses with "…" (or "‥", "...") inside one eojeol ("매입…최대"): a line
# may end after it
_CLAUSE_BREAK = re.compile(r"(?:(?<=…)|(?<=‥)|(?<=\.\.\.))(?=[^\s.…‥])")


def _pieces(title: str) -> tuple[list[str], list[str]]:
    """The headline's breakable pieces and the glue before each ("" after a "…", else " ")."""
    pieces, glue = [], []
    for word in title.split():
        for i, part in enumerate(_CLAUSE_BREAK.split(word)):
            pieces.append(part)
            glue.append(" " if i == 0 else "")
    return pieces, glue


_CLAUSE_END = ("…", "‥", "...", ",", "\"", "”", "'", "’", ")", "]", "?", "!")
_NO_LINE_START = ("·", "→", "…", "‥", "-", "~")


def _break_cost(before: str, after: str) -> float:
    """How a break between two pieces reads: after a clause ("…", a closing quote, a comma)
    is good; after a one- or two-letter word ("못", "등", "5박") or before a "·" is bad."""
    if after.startswith(_NO_LINE_START):
        return 1.0
    if before.endswith(_CLAUSE_END):
        return -0.15
    core = before.strip("\"'“”‘’([")
    return 0.35 if len(core) <= 2 else 0.0


def _join(pieces: Sequence[str], glue: Sequence[str]) -> str:
    return "".join(g + p if k else p for k, (p, g) in enumerate(zip(pieces, glue, strict=True)))


def _breaks(words: Sequence[str], widths: Sequence[float], space: float, limit: float,
            max_lines: int, glue: Sequence[str] | None = None) -> list[list[int]] | None:
    """The fewest lines (at most ``max_lines``) that hold ``words`` within ``limit``, breaking
    only between words; among those, the most even line widths. Each line is a list of word
    indexes; None when nothing fits."""
    n = len(words)
    glue = glue or [" "] * n
    if any(w > limit for w in widths):
        return None

    def width(i: int, j: int) -> float:
        return sum(widths[i:j]) + space * sum(1 for g in glue[i + 1:j] if g)

    # best[k][j]: cost of the best split of words[:j] into k lines: each line's squared share
    # of empty width, plus what a reader feels at each break (_break_cost)
    inf = float("inf")
    for lines in range(1, max_lines + 1):
        best = [[inf] * (n + 1) for _ in range(lines + 1)]
        back = [[0] * (n + 1) for _ in range(lines + 1)]
        best[0][0] = 0.0
        for k in range(1, lines + 1):
            for j in range(1, n + 1):
                for i in range(k - 1, j):
                    if best[k - 1][i] == inf:
                        continue
                    w = width(i, j)
                    if w > limit:
                        continue
                    score = best[k - 1][i] + ((limit - w) / limit) ** 2
                    if j < n:
                        score += _break_cost(words[j - 1], words[j])
                    if score < best[k][j]:
                        best[k][j], back[k][j] = score, i
        if best[lines][n] != inf:
            out, j = [], n
            for k in range(lines, 0, -1):
                i = back[k][j]
                out.append(list(range(i, j)))
                j = i
            return out[::-1]
    return None


def _fit_footer(outlets: Sequence[str], font: Any, limit: float) -> str:
    """"A · B · C", or "A · B 외 3곳" when the names do not fit."""
    names = list(dict.fromkeys(o.strip() for o in outlets if o.strip()))
    for keep in range(len(names), 0, -1):
        text = " · ".join(names[:keep])
        if keep < len(names):
            text += f" 외 {len(names) - keep}곳"
        if font is None or font.getlength(text) <= limit:
            return text
    return ""


def layout_card(title: str, outlets: Sequence[str], date_text: str, label: str = "") -> CardLayout:
    """Lay a headline out on the card: the largest size at which it fits in four lines.

    A headline too long for four lines at the smallest size is cut after its last whole word
    that fits, with "…" (the post keeps its full title; the card is a picture of it).
    """
    from PIL import Image, ImageDraw

    draw = ImageDraw.Draw(Image.new("RGB", (8, 8)))
    width = CARD_SIZE[0] - 2 * MARGIN_X
    words, glue = _pieces(title)
    boxes: list[tuple[str, tuple[int, int, int, int]]] = []
    label_font = _font(True, LABEL_SIZE)
    foot_font = _font(False, FOOT_SIZE)
    if label and label_font is not None:
        box = draw.textbbox((MARGIN_X + 18, LABEL_TOP + 8), label, font=label_font, anchor="lt")
        boxes.append(("label", (box[0] - 18, box[1] - 8, box[2] + 18, box[3] + 10)))
    right = date_text
    right_w = foot_font.getlength(right) + 40 if foot_font is not None and right else 0
    left = _fit_footer(outlets, foot_font, width - right_w)

    lines: list[list[int]] | None = None
    size = TITLE_SIZES[-1]
    truncated = False
    if _font(True, size) is not None and words:
        for size in TITLE_SIZES:
            font = _font(True, size)
            room = int((HEAD_BOTTOM - HEAD_TOP) // (size * LINE_HEIGHT))
            widths = [font.getlength(w) for w in words]
            lines = _breaks(words, widths, font.getlength(" "), width, min(MAX_LINES, room),
                            glue)
            if lines:
                break
        if not lines:  # still too long at the smallest size: cut at a word, add "…"
            font = _font(True, size)
            room = min(MAX_LINES, int((HEAD_BOTTOM - HEAD_TOP) // (size * LINE_HEIGHT)))
            for keep in range(len(words) - 1, 0, -1):
                cut = [*words[:keep - 1], words[keep - 1].rstrip("…") + "…"]
                lines = _breaks(cut, [font.getlength(w) for w in cut], font.getlength(" "),
                                width, room, glue)
                if lines:
                    words, truncated = cut, True
                    break
    texts = tuple(_join([words[x] for x in line], [glue[x] for x in line])
                  for line in lines or ())
    if texts:
        font = _font(True, size)
        step = size * LINE_HEIGHT
        top = HEAD_TOP + ((HEAD_BOTTOM - HEAD_TOP) - step * len(texts)) / 2
        for i, text in enumerate(texts):
            box = draw.textbbox((MARGIN_X, top + step * i + size), text, font=font, anchor="ls")
            boxes.append(("title", box))
    if foot_font is not None:
        if left:
            boxes.append(("outlets", draw.textbbox((MARGIN_X, FOOT_BASELINE), left,
                                                   font=foot_font, anchor="ls")))
        if right:
            boxes.append(("date", draw.textbbox((CARD_SIZE[0] - MARGIN_X, FOOT_BASELINE), right,
                                                font=foot_font, anchor="rs")))
    return CardLayout(texts, size, label, left, right,
                      tuple((k, tuple(int(round(v)) for v in b)) for k, b in boxes),
                      truncated)


# --- drawing -----------------------------------------------------------------------------------


def _date_text(post: Post) -> str:
    d = to_kst(post.date)
    return f"{d.year}년 {d.month}월 {d.day}일"


def _card_inputs(post: Post) -> tuple[str, list[str], str, str]:
    outlets = list(dict.fromkeys(s.outlet for s in post.sources))
    label = post.tags[0] if post.tags else "뉴스"
    return post.title, outlets, _date_text(post), label


def card_hash(post: Post, theme: str) -> str:
    title, outlets, date_text, label = _card_inputs(post)
    return content_hash(CARD_VERSION, theme, title, "\x1f".join(outlets), date_text, label)


def draw_card(post: Post, theme: str = "navy") -> bytes:
    """The PNG bytes of a post's title card."""
    return png_bytes(card_image(post, theme), {_HASH_KEY: card_hash(post, theme)})


def card_image(post: Post, theme: str = "navy") -> Any:
    """A post's title card as a Pillow RGB image."""
    from PIL import Image, ImageDraw

    colours = THEMES.get(theme, THEMES["navy"])
    title, outlets, date_text, label = _card_inputs(post)
    layout = layout_card(title, outlets, date_text, label)
    img = Image.new("RGB", CARD_SIZE, colours.background)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 14, CARD_SIZE[1]), fill=colours.accent)
    boxes = dict(layout.boxes)
    if "label" in boxes:
        draw.rounded_rectangle(boxes["label"], radius=8, fill=colours.accent)
        draw.text((MARGIN_X + 18, LABEL_TOP + 8), label, font=_font(True, LABEL_SIZE),
                  fill=colours.label, anchor="lt")
    if layout.lines:
        font = _font(True, layout.title_size)
        step = layout.title_size * LINE_HEIGHT
        top = HEAD_TOP + ((HEAD_BOTTOM - HEAD_TOP) - step * len(layout.lines)) / 2
        for i, text in enumerate(layout.lines):
            draw.text((MARGIN_X, top + step * i + layout.title_size), text, font=font,
                      fill=colours.title, anchor="ls")
    draw.line((MARGIN_X, FOOT_RULE, CARD_SIZE[0] - MARGIN_X, FOOT_RULE), fill=colours.meta,
              width=2)
    foot = _font(False, FOOT_SIZE)
    if foot is not None:
        if layout.footer_left:
            draw.text((MARGIN_X, FOOT_BASELINE), layout.footer_left, font=foot,
                      fill=colours.meta, anchor="ls")
        if layout.footer_right:
            draw.text((CARD_SIZE[0] - MARGIN_X, FOOT_BASELINE), layout.footer_right, font=foot,
                      fill=colours.meta, anchor="rs")
    return img


# zlib level 3 on unfiltered rows: a card is a few flat colours and anti-aliased text, which
# compresses as well unfiltered (36 KB a card) as Pillow's per-row filter choice (33 KB), and
# the choice, not zlib, is where Pillow spends its time (5 vs 13.5 ms a card)
PNG_LEVEL = 3


def png_bytes(img: Any, text: dict[str, str]) -> bytes:
    """An RGB image as PNG: 8-bit truecolour, not interlaced, every row unfiltered, with
    ``text`` as tEXt chunks (Latin-1 keys and values, as Pillow reads them into ``info``)."""
    import struct
    import zlib

    if img.mode != "RGB":
        raise ValueError(f"png_bytes draws RGB images, not {img.mode}")
    width, height = img.size
    raw = memoryview(img.tobytes())
    stride = 3 * width
    # each row after its filter byte (0: none), fed to zlib as it is (no copy of the image)
    deflate = zlib.compressobj(PNG_LEVEL)
    data = [piece for y in range(0, len(raw), stride)
            for piece in (deflate.compress(b"\0"), deflate.compress(raw[y:y + stride]))]
    data.append(deflate.flush())

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    out = [b"\x89PNG\r\n\x1a\n",
           chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    out.extend(chunk(b"tEXt", k.encode("latin-1") + b"\0" + v.encode("latin-1"))
               for k, v in text.items())
    out += [chunk(b"IDAT", b"".join(data)), chunk(b"IEND", b"")]
    return b"".join(out)


# --- files and URLs ----------------------------------------------------------------------------


def card_file(out_dir: Path, post: Post) -> Path:
    return out_dir / CARD_DIR / f"{post.slug}.png"


def card_url(base_url: str, post: Post) -> str:
    return f"{base_url or DEFAULT_BASE_URL}{post.slug}.png"


def attach_card(post: Post, *, configured_image: str, base_url: str) -> Post:
    """The post with its image set: the configured ``post.image`` wins, else its title card."""
    if configured_image:
        return replace(post, image=configured_image)
    return replace(post, image=card_url(base_url, post))


def is_card(post: Post, base_url: str) -> bool:
    return bool(post.image) and post.image == card_url(base_url, post)


def _stored_hash(path: Path) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            return img.info.get(_HASH_KEY)
    except (OSError, UnidentifiedImageError):
        return None


def ensure_card(out_dir: Path, post: Post, theme: str = "navy", *,
                drawn: tuple[str, bytes] | None = None) -> Path | None:
    """Write ``OUT/assets/cards/<slug>.png`` unless it already shows this post; its path.

    ``drawn`` is a card drawn ahead (its ``card_hash``, its PNG), by a worker process: used
    when it is this post's card. None (and a warning) when no Korean font is installed: the
    post keeps its image path and the card is drawn once the fonts are there
    (``apt-get install fonts-nanum``).
    """
    path = card_file(out_dir, post)
    want = card_hash(post, theme)
    if path.is_file() and _stored_hash(path) == want:
        return path
    if drawn is not None and drawn[0] == want:
        atomic_write_bytes(path, drawn[1])
        return path
    if not fonts_available():
        _warn_no_fonts()
        return None
    atomic_write_bytes(path, draw_card(post, theme))
    return path


@cache
def _warn_no_fonts() -> None:
    log.warning("no Korean font found: title cards are not drawn (apt-get install fonts-nanum)")
