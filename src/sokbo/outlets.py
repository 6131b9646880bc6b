"""Korean news outlets: a site's domain → the outlet's Korean name, for bylines and sources lines.

Pages name their outlet inconsistently (og:site_name "SBS NEWS", JSON-LD publisher "SBS 뉴스",
MBN's legal name "매일방송", TV조선 none at all), so extraction asks this registry first, by the
article's URL; a site name the registry knows as an alias (a legal or English name) is turned
into the outlet's name too. The data is ``data/outlets.tsv`` (domain, name, kind, aliases);
the longest matching domain wins, so ``sports.donga.com`` is 스포츠동아 and ``donga.com`` 동아일보.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sokbo.urls import url_host

__all__ = [
    "Outlet", "outlet_for_name", "outlet_for_url", "outlet_name", "registry", "resolve_outlet",
]

DATA = Path(__file__).resolve().parent / "data" / "outlets.tsv"
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
# an outlet given as a site's host ("www.ytn.co.kr", "biz.chosun.com")
HOST_LIKE = re.compile(r"^(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str  # registrable site, lower case, without www. ("news.sbs.co.kr")
    name: str  # the outlet's Korean name as readers know it ("SBS", "조선일보")
    kind: str  # national, economic, broadcast, wire, regional, online, magazine, sports, …
    aliases: tuple[str, ...] = ()  # site and legal names pages give for it


@functools.cache
def registry() -> dict[str, Outlet]:
    """domain → Outlet, read once from the shipped table."""
    out: dict[str, Outlet] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        domain, name, kind, *rest = line.split("\t")
        aliases = tuple(a.strip() for a in (rest[0] if rest else "").split("|") if a.strip())
        out[domain.strip().lower()] = Outlet(domain.strip().lower(), name.strip(), kind.strip(),
                                             aliases)
    return out


def _key(name: str) -> str:
    return re.sub(r"[\s()（）]+", "", name).lower()


@functools.cache
def _by_alias() -> dict[str, Outlet]:
    out: dict[str, Outlet] = {}
    # shorter domains first, so a sub-site does not take its parent's generic alias ("SBS")
    for o in sorted(registry().values(), key=lambda o: (len(o.domain), o.domain), reverse=True):
        for alias in (o.name, *o.aliases):
            out[_key(alias)] = o
    return out


def _host(url: str | None) -> str | None:
    if not url:
        return None
    if "//" not in url:
        url = "//" + url
    host = (url_host(url) or "").lower().rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host or None


def outlet_for_url(url: str | None) -> Outlet | None:
    """The registry's outlet for an article URL or a bare host; None for an unknown site."""
    host = _host(url)
    if host is None:
        return None
    table = registry()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        found = table.get(".".join(parts[i:]))
        if found is not None:
            return found
    return None


def outlet_for_name(name: str | None) -> Outlet | None:
    """The outlet a page's site or publisher name stands for ("SBS NEWS", "매일방송")."""
    if not name or not name.strip():
        return None
    return _by_alias().get(_key(name))


def outlet_name(url: str | None = None, site_name: str | None = None) -> str | None:
    """The outlet's Korean name: by the URL first, then by a known site or legal name."""
    found = outlet_for_url(url) or outlet_for_name(site_name)
    return found.name if found is not None else None


def resolve_outlet(
    urls: Iterable[str | None], given: str | None = None, site_names: Iterable[str | None] = ()
) -> str | None:
    """The name a post credits: a given outlet the registry knows by that name, else the
    registry's outlet for any of ``urls``, else ``given`` as written, else a known site name;
    None when nothing says (the caller falls back to the page's own site name or host).

    ``given`` is a feed's or a JSONL record's outlet ("SBS 뉴스" → "SBS", or a site's host as
    exports give it: "www.ytn.co.kr" → "YTN"); a name the registry does not know (a feed title,
    a user's own label) yields to the URL's registered outlet.
    """
    found = outlet_for_name(given)
    if found is None:
        found = next(filter(None, (outlet_for_url(u) for u in urls)), None)
    if found is None and given and HOST_LIKE.match(given.strip()):
        found = outlet_for_url(given.strip())  # an export's "www.ytn.co.kr" is YTN
    if found is not None:
        return found.name
    if given and given.strip():
        return given.strip()
    found = next(filter(None, (outlet_for_name(n) for n in site_names)), None)
    return found.name if found is not None else None
