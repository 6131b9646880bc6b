"""Commands for the publishing end: `sokbo approve`, `sokbo publish`, `sokbo site build`.

Thin wrappers over sokbo.publish and sokbo.site; cli.py registers them on the main group.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from sokbo.cli import _settings, config_option, handle_errors, json_option, out_option

# the run went through, but some posts were left out (conflicts, lint errors, unknown ids)
EXIT_INCOMPLETE = 1


def _template_option(fn: Any) -> Any:
    return click.option(
        "--template", "template_dir", type=click.Path(exists=True, file_okay=False),
        default=None,
        help="Folder of templates overriding the shipped ones by name "
             "(jekyll/post.html.j2, hugo/post.md.j2, markdown/post.md.j2, site/*.j2).",
    )(fn)


def _echo_json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _echo_outcomes(label: str, outcomes: list[Any], *, err: bool = False) -> None:
    for o in outcomes:
        where = o.path or f"#{o.post_id}"
        line = f"{label}: {where} {o.title}".rstrip()
        click.echo(f"{line} — {o.reason}" if o.reason else line, err=err)


@click.command("approve")
@click.argument("post_ids", nargs=-1, type=int, metavar="[ID]...")
@click.option("--all", "approve_all", is_flag=True, help="Approve every draft.")
@config_option
@out_option
@json_option
@handle_errors
def approve_command(post_ids: tuple[int, ...], approve_all: bool, config_path: str | None,
                    out_dir: str | None, as_json: bool) -> None:
    """Mark draft posts as approved, ready for `sokbo publish`.

    Posts with error-level lint findings (status "blocked") cannot be approved.
    The ids are those of `sokbo run --json` and of the preview site.

    \b
    Example:
        sokbo approve 1 3 --out sokbo-out
        sokbo approve --all
    """
    from sokbo.publish import approve_posts

    if not post_ids and not approve_all:
        raise click.UsageError("give post ids, or --all to approve every draft")
    settings = _settings(config_path, out_dir)
    report = approve_posts(settings, list(post_ids) if post_ids else None)
    if as_json:
        _echo_json(report.to_dict())
    else:
        for o in report.approved:
            click.echo(f"approved: #{o.post_id} {o.title}")
        _echo_outcomes("skipped", report.skipped, err=True)
        click.echo(f"{len(report.approved)} posts approved")
    if report.skipped:
        sys.exit(EXIT_INCOMPLETE)


@click.command("publish")
@click.option("--repo", "repo", default=None, type=click.Path(file_okay=False),
              help="The site's folder in a git work tree (Jekyll or Hugo).")
@click.option("--wordpress", "wordpress_url", default=None, metavar="URL",
              help="A WordPress site (its address): posts go up through the REST API, logged "
                   "in with an application password (SOKBO_WP_APP_PASSWORD or "
                   "--wp-password-file).")
@click.option("--wp-user", default=None, metavar="NAME",
              help="WordPress user name (or SOKBO_WP_USER, or user:password in the file).")
@click.option("--wp-password-file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="File holding the application password (or user:password); chmod 600.")
@click.option("--blogger", "blogger_id", default=None, metavar="BLOG_ID",
              help="A Blogger blog (its numeric id): posts go up through the Blogger v3 API.")
@click.option("--blogger-token", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="OAuth 2 token file for Blogger (access/refresh token JSON).")
@click.option("--status", "remote_status", default="draft", show_default=True,
              type=click.Choice(["draft", "pending", "private", "publish"]),
              help="WordPress/Blogger: how posts go up (Blogger: draft or publish). An update "
                   "never takes a published post back to draft.")
@click.option("--push", is_flag=True, help="git push after committing (--repo).")
@click.option("--post", "post_ids", multiple=True, type=int, metavar="ID",
              help="Publish this post (approved, or a draft without lint errors) instead of "
                   "every approved one (repeatable).")
@click.option("--approve-all", is_flag=True,
              help="Approve every draft without lint errors first, then publish.")
@click.option("--posts-dir", default=None, metavar="DIR",
              help="Folder for post files, relative to --repo (default: _posts for Jekyll, "
                   "content/posts for Hugo).")
@_template_option
@config_option
@out_option
@json_option
@handle_errors
def publish_command(repo: str | None, wordpress_url: str | None, wp_user: str | None,
                    wp_password_file: Path | None, blogger_id: str | None,
                    blogger_token: Path | None, remote_status: str, push: bool,
                    post_ids: tuple[int, ...], approve_all: bool, posts_dir: str | None,
                    template_dir: str | None, config_path: str | None, out_dir: str | None,
                    as_json: bool) -> None:
    """Publish approved posts: into a Jekyll/Hugo site (git), WordPress or Blogger.

    --repo: the site kind is detected (_config.yml → Jekyll, hugo.toml/config.toml → Hugo),
    each post is rendered in that site's format with its title card, and committed. A post
    file edited by hand after sokbo wrote it is never overwritten.

    --wordpress / --blogger: posts go up as drafts (--status publish to publish), and are
    updated in place on later runs; a post edited on the blog after sokbo wrote it is never
    overwritten. Either way a refused post is reported as a conflict. Exit code 1 when any
    post was skipped, failed or in conflict, 2 on an error.

    \b
    Example:
        sokbo approve 1 2 --out sokbo-out
        sokbo publish --repo ../my-blog --out sokbo-out --push
        sokbo publish --repo ../my-blog --post 3 --json
        SOKBO_WP_APP_PASSWORD='abcd EFGH …' sokbo publish --wordpress https://blog.example \\
            --wp-user editor
        sokbo publish --blogger 1234567890 --blogger-token ~/.config/sokbo/blogger.json
    """
    from sokbo.publish import approve_posts

    targets = [t for t in (repo, wordpress_url, blogger_id) if t]
    if len(targets) != 1:
        raise click.UsageError("give one of --repo SITE, --wordpress URL or --blogger BLOG_ID")
    if blogger_id and blogger_token is None:
        raise click.UsageError("--blogger needs --blogger-token FILE")
    if not repo and (push or posts_dir):
        raise click.UsageError("--push and --posts-dir go with --repo")
    settings = _settings(config_path, out_dir)
    approved = approve_posts(settings, None) if approve_all else None
    ids = list(post_ids) or None
    if repo:
        from sokbo.publish import publish_posts

        report = publish_posts(
            settings, Path(repo), post_ids=ids, push=push, posts_dir=posts_dir,
            template_dir=Path(template_dir) if template_dir else None)
    elif wordpress_url:
        from sokbo.publish import publish_wordpress

        report = publish_wordpress(settings, wordpress_url, user=wp_user,
                                   password_file=wp_password_file, post_ids=ids,
                                   status=remote_status)
    else:
        from sokbo.publish import publish_blogger

        if remote_status not in ("draft", "publish"):
            raise click.UsageError("Blogger posts are draft or publish")
        report = publish_blogger(settings, str(blogger_id), blogger_token, post_ids=ids,
                                 status=remote_status)
    failed = getattr(report, "failed", [])
    if as_json:
        data = report.to_dict()
        if approved is not None:
            data["approved"] = [o.post_id for o in approved.approved]
        _echo_json(data)
    else:
        if approved is not None:
            click.echo(f"{len(approved.approved)} posts approved")
            _echo_outcomes("not approved", approved.skipped, err=True)
        for o in report.published:
            click.echo(f"{o.action:9} {o.path}  {o.title}")
        _echo_outcomes("conflict", report.conflicts, err=True)
        _echo_outcomes("skipped", report.skipped, err=True)
        _echo_outcomes("failed", failed, err=True)
        for warning in getattr(report, "warnings", []):
            click.echo(f"sokbo: warning: {warning}", err=True)
        if repo:
            summary = (f"{len(report.written)} posts written to {report.repo} "
                       f"({report.site.kind}, {report.site.posts_dir})")
            if report.commit:
                summary += f", commit {report.commit[:10]}"
            if report.pushed:
                summary += ", pushed"
        else:
            summary = f"{len(report.written)} posts sent to {report.label} ({report.status})"
        click.echo(summary)
    if report.conflicts or report.skipped or failed:
        sys.exit(EXIT_INCOMPLETE)


@click.group("site")
def site_command() -> None:
    """A static preview site of every post (drafts included).

    \b
    Example:
        sokbo site build --out sokbo-out
    """


@site_command.command("build")
@_template_option
@config_option
@out_option
@json_option
@handle_errors
def site_build_command(template_dir: str | None, config_path: str | None, out_dir: str | None,
                       as_json: bool) -> None:
    """Write OUT/site/: an index of all posts, newest first, and one page per post.

    Open the printed index.html in a browser; no server is needed.

    \b
    Example:
        sokbo site build --out sokbo-out
    """
    from sokbo.site import build_site

    settings = _settings(config_path, out_dir)
    index = build_site(settings, template_dir=Path(template_dir) if template_dir else None)
    if as_json:
        _echo_json({"index": str(index)})
    else:
        click.echo(str(index))
