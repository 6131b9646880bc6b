"""The last stage: approved posts go to a blog.

- ``repo``: a Jekyll or Hugo site repository (files, committed with git);
- ``wordpress``, ``blogger``: blogs behind an API, through ``remote`` (in place, never over an
  edit made on the blog);
- ``select``: which posts a run takes, and `sokbo approve`.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sokbo.config import Settings
from sokbo.publish.remote import RemoteReport, publish_remote
from sokbo.publish.repo import PublishReport, SiteLayout, detect_site, publish_posts
from sokbo.publish.select import ApproveReport, PostOutcome, approve_posts

__all__ = [
    "ApproveReport",
    "PostOutcome",
    "PublishReport",
    "RemoteReport",
    "SiteLayout",
    "approve_posts",
    "detect_site",
    "publish_blogger",
    "publish_posts",
    "publish_wordpress",
]


def publish_wordpress(settings: Settings, url: str, *, user: str | None = None,
                      password_file: Path | None = None,
                      post_ids: Sequence[int] | None = None,
                      status: str = "draft") -> RemoteReport:
    """Send approved posts (or the given ids) to a WordPress site as ``status`` (draft).

    The application password comes from ``password_file`` or ``SOKBO_WP_APP_PASSWORD``.

    Raises:
        PublishError: no credentials, WordPress refuses them, or it cannot be reached.
    """
    from sokbo.publish.wordpress import WordPress, wordpress_credentials

    user, password = wordpress_credentials(user, password_file)
    with WordPress(url, user, password, timeout=settings.http_timeout * 3,
                   user_agent=settings.user_agent) as blog:
        del password
        blog.check_login()
        return publish_remote(settings, blog, post_ids=post_ids, status=status)


def publish_blogger(settings: Settings, blog_id: str, token_file: Path, *,
                    post_ids: Sequence[int] | None = None,
                    status: str = "draft") -> RemoteReport:
    """Send approved posts (or the given ids) to a Blogger blog as ``status`` (draft).

    Raises:
        PublishError: an unreadable or refused token file, or the API cannot be reached.
    """
    from sokbo.publish.blogger import Blogger

    with Blogger(blog_id, token_file, timeout=settings.http_timeout * 3,
                 user_agent=settings.user_agent) as blog:
        return publish_remote(settings, blog, post_ids=post_ids, status=status)
