"""The review page: `sokbo serve` shows each post beside its sources and changes review state."""
from __future__ import annotations

from sokbo.web.app import create_app

__all__ = ["create_app"]
