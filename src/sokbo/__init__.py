"""sokbo: Korean news in, faithful Korean blog posts out.

Every sentence sokbo publishes is a source sentence (restyled) and keeps its provenance.
"""
from __future__ import annotations

import logging

__version__ = "0.1.0"

__all__ = ["__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
