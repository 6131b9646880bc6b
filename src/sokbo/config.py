"""Settings: shipped defaults.toml, then the user's sokbo.toml, then SOKBO_* env, then flags."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sokbo.errors import ConfigError

FORMATS = ("jekyll", "hugo", "markdown")
# title card colour themes (drawn by sokbo.render.card; named here to keep Pillow out of config)
CARD_THEMES = ("navy", "paper", "red", "forest", "charcoal")


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    outlet: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    out_dir: Path
    format: str
    timezone: str
    categories: tuple[str, ...]
    image: str
    image_alt: str
    title_max_chars: int
    excerpt_sentences: int
    cta_text: str
    cta_url: str
    cluster_threshold: float
    cluster_window_hours: int
    user_agent: str
    http_timeout: float
    http_retries: int
    http_max_bytes: int
    politeness_seconds: float
    feeds: tuple[Feed, ...] = field(default_factory=tuple)
    config_path: Path | None = None
    template_dir: Path | None = None
    card_theme: str = "navy"               # title card colours (sokbo.render.card.THEMES)
    card_base_url: str = "/assets/cards/"  # where cards are served: http(s) URL or "/path/"
    site_url: str = ""                     # the preview site's public URL (feed links)
    # usable sentences a story needs for the full and the compact post shape (sokbo.shapes)
    min_sentences_full: int = 10
    min_sentences_compact: int = 6
    max_sources: int = 12                  # articles of one story a post is written from
    store_url: str = ""                    # postgresql://… state server; empty: OUT/sokbo.db
    jobs: int = 0                          # worker processes for extraction; 0: one per core

    @property
    def posts_dir(self) -> Path:
        """Where this format's posts go inside the output directory."""
        return self.out_dir / {"jekyll": "_posts", "hugo": "content/posts"}.get(
            self.format, "posts")

    @property
    def db_path(self) -> Path:
        return self.out_dir / "sokbo.db"

    @property
    def state(self) -> str | Path:
        """Where the state lives: the ``[store] url`` server, else OUT/sokbo.db."""
        return self.store_url or self.db_path

    @property
    def has_state(self) -> bool:
        """A state exists to read: a configured server, or OUT/sokbo.db."""
        return bool(self.store_url) or self.db_path.is_file()

    @property
    def workers(self) -> int:
        """How many processes extract and analyse: ``jobs``, else one per core."""
        return self.jobs or max(1, os.cpu_count() or 1)

    def with_overrides(self, **kw: Any) -> Settings:
        return replace(self, **{k: v for k, v in kw.items() if v is not None})


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _env_layer() -> dict[str, Any]:
    layer: dict[str, Any] = {}
    if d := os.environ.get("SOKBO_OUT"):
        layer.setdefault("output", {})["dir"] = d
    if f := os.environ.get("SOKBO_FORMAT"):
        layer.setdefault("output", {})["format"] = f
    if u := os.environ.get("SOKBO_STORE_URL"):  # keeps a password out of sokbo.toml
        layer.setdefault("store", {})["url"] = u
    if j := os.environ.get("SOKBO_JOBS"):
        try:
            layer.setdefault("run", {})["jobs"] = int(j)
        except ValueError:
            raise ConfigError(f"SOKBO_JOBS must be a whole number, not {j[:20]!r}") from None
    return layer


def load_settings(path: str | Path | None = None) -> Settings:
    """Read defaults, then ``path`` (or ./sokbo.toml when present), then env."""
    raw = tomllib.loads(resources.files("sokbo").joinpath("defaults.toml").read_text("utf-8"))
    config_path: Path | None = None
    if path is not None:
        config_path = Path(path)
        if not config_path.is_file():
            raise ConfigError("config file not found", source=str(path))
    elif Path("sokbo.toml").is_file():
        config_path = Path("sokbo.toml")
    if config_path is not None:
        raw = _merge(raw, _read_toml(config_path))
    raw = _merge(raw, _env_layer())
    return _validate(raw, config_path)


def _check_urls(post: dict[str, Any], src: str | None) -> None:
    """post.image and post.cta_url end up in <img src>/<a href>: http(s) only (or empty)."""
    from sokbo.safetext import safe_url

    for key in ("image", "cta_url"):
        value = post.get(key)
        if value and (not isinstance(value, str) or safe_url(value) is None):
            raise ConfigError(f"post.{key} must be an http(s) URL, not {str(value)[:60]!r}",
                              source=src)


MAX_CONFIG_BYTES = 1_000_000


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError("config file larger than 1 MB", source=str(path))
        return tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"invalid TOML: {_one_line(e)}", source=str(path)) from e
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", source=str(path)) from None
    except OSError as e:
        raise ConfigError(f"cannot read config file: {e.strerror}", source=str(path)) from e


def _one_line(text: object) -> str:
    return " ".join(str(text).split())[:200]


class _Reader:
    """Typed access to one merged config, with a ConfigError naming ``table.key``."""

    def __init__(self, raw: dict[str, Any], source: str | None) -> None:
        self.raw = raw
        self.source = source

    def fail(self, message: str) -> ConfigError:
        return ConfigError(message, source=self.source)

    def table(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name)
        if not isinstance(value, dict):
            raise self.fail(f"[{name}] must be a table")
        return value

    def get(self, table: str, key: str) -> Any:
        values = self.table(table)
        if key not in values:
            raise self.fail(f"{table}.{key} is missing")
        return values[key]

    def text(self, table: str, key: str, *, empty: bool = True, max_chars: int = 2000) -> str:
        value = self.get(table, key)
        if not isinstance(value, str):
            raise self.fail(f"{table}.{key} must be a string")
        if not empty and not value.strip():
            raise self.fail(f"{table}.{key} must not be empty")
        if len(value) > max_chars or any(ord(c) < 32 and c not in "\t\n" for c in value):
            raise self.fail(f"{table}.{key} must be one short line of text")
        return value

    def whole(self, table: str, key: str, lo: int, hi: int) -> int:
        value = self.get(table, key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{table}.{key} must be a whole number from {lo} to {hi}")
        if not lo <= value <= hi:
            raise self.fail(f"{table}.{key} must be {lo} to {hi}, not {value}")
        return value

    def number(self, table: str, key: str, lo: float, hi: float) -> float:
        value = self.get(table, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise self.fail(f"{table}.{key} must be a number from {lo:g} to {hi:g}")
        if not lo <= value <= hi:  # also refuses inf
            raise self.fail(f"{table}.{key} must be {lo:g} to {hi:g}, not {value}")
        return float(value)


def _validate(raw: dict[str, Any], config_path: Path | None) -> Settings:
    r = _Reader(raw, str(config_path) if config_path else None)
    feeds = []
    entries = raw.get("feeds", [])
    if not isinstance(entries, list):
        raise r.fail("feeds must be a list of [[feeds]] tables")
    for f in entries:
        if not isinstance(f, dict) or not isinstance(f.get("url"), str) or not f["url"].strip():
            raise r.fail("every [[feeds]] entry needs a url")
        for key in ("outlet", "category"):
            if f.get(key) is not None and not isinstance(f[key], str):
                raise r.fail(f"[[feeds]] {key} must be a string")
        feeds.append(Feed(url=f["url"].strip(), outlet=f.get("outlet"),
                          category=f.get("category")))
    fmt = r.text("output", "format")
    if fmt not in FORMATS:
        raise r.fail(f"output.format must be jekyll, hugo or markdown, not {fmt[:40]!r}")
    zone = r.text("output", "timezone", empty=False, max_chars=100)
    _check_zone(zone, r)
    _check_urls(r.table("post"), r.source)
    cats = r.get("post", "categories")
    if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
        raise r.fail("post.categories must be a list of strings")
    user_agent = r.text("http", "user_agent", empty=False, max_chars=300)
    if not all(" " <= c <= "~" for c in user_agent):
        raise r.fail("http.user_agent must be printable ASCII (it is sent as an HTTP header)")
    template_dir = r.table("output").get("template_dir")
    if template_dir is not None and (not isinstance(template_dir, str) or "\0" in template_dir):
        raise r.fail("output.template_dir must be a folder name")
    min_full = r.whole("post", "min_sentences_full", 1, 100)
    min_compact = r.whole("post", "min_sentences_compact", 1, 100)
    if min_compact > min_full:
        raise r.fail("post.min_sentences_compact must not be above post.min_sentences_full")
    out_dir = r.text("output", "dir", empty=False, max_chars=1000)
    if "\0" in out_dir:
        raise r.fail("output.dir must be a folder name")
    return Settings(
        out_dir=Path(out_dir),
        format=fmt,
        timezone=zone,
        categories=tuple(cats),
        image=r.text("post", "image"),
        image_alt=r.text("post", "image_alt"),
        title_max_chars=r.whole("post", "title_max_chars", 10, 200),
        excerpt_sentences=r.whole("post", "excerpt_sentences", 3, 5),
        cta_text=r.text("post", "cta_text"),
        cta_url=r.text("post", "cta_url"),
        cluster_threshold=r.number("cluster", "threshold", 0.0, 1.0),
        cluster_window_hours=r.whole("cluster", "window_hours", 1, 24 * 366),
        user_agent=user_agent,
        http_timeout=r.number("http", "timeout", 0.1, 600.0),
        http_retries=r.whole("http", "retries", 0, 10),
        http_max_bytes=r.whole("http", "max_bytes", 10_000, 1_000_000_000),
        politeness_seconds=r.number("http", "politeness_seconds", 0.0, 3600.0),
        feeds=tuple(feeds),
        config_path=config_path,
        template_dir=Path(template_dir) if template_dir else None,
        **_card_and_site(r),
        min_sentences_full=min_full,
        min_sentences_compact=min_compact,
        max_sources=r.whole("post", "max_sources", 0, 10_000),
        **_store_and_jobs(r),
    )


def _store_and_jobs(r: _Reader) -> dict[str, Any]:
    """[store] url: empty (SQLite in the output folder) or a postgresql:// URL; [run] jobs:
    0 (one worker per core) to 256."""
    from sokbo.database import POSTGRES_SCHEMES

    store = r.raw.get("store", {})
    if not isinstance(store, dict):
        raise r.fail("[store] must be a table")
    url = store.get("url", "") or ""
    if not isinstance(url, str) or (url and not url.lower().startswith(POSTGRES_SCHEMES)):
        raise r.fail("store.url must be empty (SQLite in the output folder) or a "
                     "postgresql:// URL")
    if any(ord(c) < 32 for c in url) or len(url) > 2000:
        raise r.fail("store.url must be one line")
    run = r.raw.get("run", {})
    if not isinstance(run, dict):
        raise r.fail("[run] must be a table")
    jobs = run.get("jobs", 0)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 0 <= jobs <= 256:
        raise r.fail("run.jobs must be a whole number from 0 (one per core) to 256")
    return {"store_url": url, "jobs": jobs}


def _card_and_site(r: _Reader) -> dict[str, str]:
    """[card] theme (one of CARD_THEMES) and base_url (an http(s) URL or a path from the site
    root, ending in "/"); output.site_url (an http(s) URL, or empty)."""
    from sokbo.safetext import safe_src, safe_url

    card = r.raw.get("card", {})
    if not isinstance(card, dict):
        raise r.fail("[card] must be a table")
    theme = card.get("theme", "navy")
    if theme not in CARD_THEMES:
        raise r.fail(f"card.theme must be one of {', '.join(CARD_THEMES)}, "
                     f"not {str(theme)[:40]!r}")
    base = card.get("base_url", "/assets/cards/")
    if not isinstance(base, str) or not base.endswith("/") or safe_src(base) != base:
        raise r.fail("card.base_url must be an http(s) URL or a path from the site root, "
                     f"ending in '/', not {str(base)[:60]!r}")
    site_url = r.table("output").get("site_url") or ""
    if site_url and (not isinstance(site_url, str) or safe_url(site_url) != site_url):
        raise r.fail(f"output.site_url must be an http(s) URL, not {str(site_url)[:60]!r}")
    return {"card_theme": theme, "card_base_url": base, "site_url": site_url}


def _check_zone(zone: str, r: _Reader) -> None:
    # the IANA name's shape only: the zone database may be absent on a slim machine
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*", zone):
        raise r.fail(f"output.timezone is not a time zone name: {zone[:40]!r}")
