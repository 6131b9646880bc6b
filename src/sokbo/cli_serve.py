"""`sokbo serve`: the review page (``sokbo.web``) under uvicorn, on 127.0.0.1 by default.

Registered by ``sokbo.cli``; kept apart so the CLI module does not import the web stack.
"""
from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import NoReturn

import click

LOOPBACK_NAMES = ("localhost",)
NO_LOGIN_WARNING = (
    "sokbo: warning: the review page has no login; anyone who can reach {host}:{port} can "
    "approve and publish posts. Keep it on 127.0.0.1 unless the network is yours."
)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command(name="serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="TCP port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. The page has no login: keep the loopback default unless "
                   "you know who can reach it.")
@click.option("--repo", "site_repo", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="SITE_PATH",
              help="Jekyll/Hugo site git checkout that the publish button commits to "
                   "(without it, posts can be reviewed but not published).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="sokbo.toml to read (default: ./sokbo.toml when present).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Output directory whose OUT/sokbo.db holds the posts (default ./sokbo-out).")
def serve_command(port: int, host: str, site_repo: Path | None, config_path: str | None,
                  out_dir: str | None) -> None:
    """Open the review page: each post beside its sources, with approve/reject/publish.

    Every post sentence links to the source sentence it came from; lint findings are
    listed, and posts with error-level findings cannot be approved or published.

    \b
    Example:
        sokbo run --out blog-out
        sokbo serve --out blog-out --repo ~/my-jekyll-site
        # then open http://127.0.0.1:8000/
    """
    from sokbo.config import load_settings
    from sokbo.errors import SokboError

    try:
        settings = load_settings(config_path)
    except SokboError as e:
        _fail(str(e))
    settings = settings.with_overrides(out_dir=Path(out_dir) if out_dir else None)
    if not settings.db_path.is_file():
        _fail(f"no sokbo state in {settings.out_dir} (no sokbo.db); run "
              f"`sokbo run --out {settings.out_dir}` first, or pass --out")
    if site_repo is not None and not site_repo.is_dir():
        _fail(f"{site_repo}: site repository not found")

    import uvicorn

    from sokbo.web import create_app
    from sokbo.web.app import LOOPBACK_HOSTS

    shown = f"[{host.strip('[]')}]" if ":" in host else host
    if is_loopback(host):
        allowed = [*LOOPBACK_HOSTS, shown]
    else:
        click.echo(NO_LOGIN_WARNING.format(host=host, port=port), err=True)
        allowed = ["*"]
    app = create_app(settings, site_repo=site_repo.resolve() if site_repo else None,
                     allowed_hosts=allowed)
    click.echo(f"sokbo: reviewing {settings.db_path} at http://{shown}:{port}/ "
               "(Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", access_log=False)


def _fail(message: str) -> NoReturn:
    """One line on stderr and exit 2, as every sokbo command reports errors."""
    click.echo(f"sokbo: error: {message}", err=True)
    sys.exit(2)
