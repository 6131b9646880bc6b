"""sokbo: Korean news in, faithful Korean blog posts out.

Every sentence sokbo publishes is a source sentence (restyled) and keeps its provenance.
The public API below is imported lazily, so `import sokbo` (and `sokbo --help`) stays instant.
"""
from __future__ import annotations

import importlib
import logging
from typing import Any

__version__ = "0.1.0"

_API = {
    "build_site": "sokbo.site",
    "classify_topic": "sokbo.topic",
    "compress_headline": "sokbo.korean.headline",
    "extract_article": "sokbo.extract",
    "group_stories": "sokbo.cluster",
    "lint_text": "sokbo.lint",
    "load_articles": "sokbo.ingest",
    "load_settings": "sokbo.config",
    "post_inputs": "sokbo.pipeline",
    "publish_posts": "sokbo.publish",
    "render_post": "sokbo.render",
    "run_pipeline": "sokbo.pipeline",
    "to_polite": "sokbo.korean.style",
    "write_post": "sokbo.write",
}

__all__ = sorted([*_API, "__version__"])

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'sokbo' has no attribute {name!r}")
