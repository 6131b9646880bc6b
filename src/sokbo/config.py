"""Settings: shipped defaults.toml, then the user's sokbo.toml, then SOKBO_* env, then flags."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sokbo.errors import ConfigError

FORMATS = ("jekyll", "hugo", "markdown")


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

    @property
    def posts_dir(self) -> Path:
        """Where this format's posts go inside the output directory."""
        return self.out_dir / {"jekyll": "_posts", "hugo": "content/posts"}.get(
            self.format, "posts")

    @property
    def db_path(self) -> Path:
        return self.out_dir / "sokbo.db"

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
        try:
            user = tomllib.loads(config_path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"invalid TOML: {e}", source=str(config_path)) from e
        raw = _merge(raw, user)
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


def _validate(raw: dict[str, Any], config_path: Path | None) -> Settings:
    src = str(config_path) if config_path else None
    try:
        out, post, clu, http = raw["output"], raw["post"], raw["cluster"], raw["http"]
        feeds = []
        for f in raw.get("feeds", []):
            if not isinstance(f, dict) or not isinstance(f.get("url"), str):
                raise ConfigError("every [[feeds]] entry needs a url", source=src)
            feeds.append(Feed(url=f["url"], outlet=f.get("outlet"), category=f.get("category")))
        fmt = str(out["format"])
        if fmt not in FORMATS:
            raise ConfigError(f"output.format must be jekyll, hugo or markdown, not {fmt!r}",
                              source=src)
        n = int(post["excerpt_sentences"])
        if not 3 <= n <= 5:
            raise ConfigError("post.excerpt_sentences must be 3 to 5", source=src)
        _check_urls(post, src)
        cats = post["categories"]
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise ConfigError("post.categories must be a list of strings", source=src)
        return Settings(
            out_dir=Path(out["dir"]),
            format=fmt,
            timezone=str(out["timezone"]),
            categories=tuple(cats),
            image=str(post["image"]),
            image_alt=str(post["image_alt"]),
            title_max_chars=int(post["title_max_chars"]),
            excerpt_sentences=n,
            cta_text=str(post["cta_text"]),
            cta_url=str(post["cta_url"]),
            cluster_threshold=float(clu["threshold"]),
            cluster_window_hours=int(clu["window_hours"]),
            user_agent=str(http["user_agent"]),
            http_timeout=float(http["timeout"]),
            http_retries=int(http["retries"]),
            http_max_bytes=int(http["max_bytes"]),
            politeness_seconds=float(http["politeness_seconds"]),
            feeds=tuple(feeds),
            config_path=config_path,
            template_dir=Path(out["template_dir"]) if out.get("template_dir") else None,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"invalid setting: {e}", source=src) from e
