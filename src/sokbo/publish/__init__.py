"""The last stage: approved posts go to a blog.

- ``repo``: a Jekyll or Hugo site repository (files, committed with git);
- ``select``: which posts a run takes, and `sokbo approve`.
"""
from __future__ import annotations

from sokbo.publish.repo import PublishReport, SiteLayout, detect_site, publish_posts
from sokbo.publish.select import ApproveReport, PostOutcome, approve_posts

__all__ = [
    "ApproveReport",
    "PostOutcome",
    "PublishReport",
    "SiteLayout",
    "approve_posts",
    "detect_site",
    "publish_posts",
]
