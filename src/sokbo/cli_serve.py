"""`sokbo serve`: the review page (``sokbo.web``) under uvicorn, on 127.0.0.1 by default.

Registered by ``sokbo.cli``; kept apart so the CLI module does not import the web stack.
"""
from __future__ import annotations

import errno
import ipaddress
import socket
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
    if not settings.has_state:
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
    # bind before saying anything: a busy port is one line and exit 2, not uvicorn's log
    sock = _bind(host.strip("[]"), port)
    from sokbo.database import state_location

    click.echo(f"sokbo: reviewing {state_location(settings.state)} at http://{shown}:{port}/ "
               "(Ctrl+C to stop)", err=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or exit 2 with one line saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        _fail(f"cannot listen on {host}: {e.strerror}")
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            _fail(f"port {port} on {host} is already in use; stop what runs there or pass "
                  f"--port {port + 1 if port < 65535 else 8000}")
        _fail(f"cannot listen on {host}:{port}: {e.strerror}")
    sock.set_inheritable(True)
    return sock


def _fail(message: str) -> NoReturn:
    """One line on stderr and exit 2, as every sokbo command reports errors."""
    click.echo(f"sokbo: error: {message}", err=True)
    sys.exit(2)
