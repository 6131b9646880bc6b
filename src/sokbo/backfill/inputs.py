"""What a backfill reads: JSONL files, WARC archives, sitemaps and folders of pages → jobs.

Every source becomes a stream of :class:`~sokbo.workers.Job` (the same jobs `sokbo run` runs in
its worker processes) with the raw hash that lets an unchanged input be skipped, or an error
line. Pages a sitemap lists are fetched here, in the driver, through the polite fetcher (one
request per host at a time); only extraction and analysis go to the cluster.
"""
from __future__ import annotations

import gzip
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sokbo.errors import InputError, SokboError
from sokbo.workers import Job

__all__ = ["PAGE_SUFFIXES", "Input", "iter_jobs", "read_warc"]

PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".txt"}
SITEMAP_SUFFIXES = {".xml"}
MAX_SITEMAPS = 1000  # nested sitemap indexes followed, at most

Fetch = Callable[[str], tuple[bytes, str, "str | None"]]


@dataclass(frozen=True, slots=True)
class Input:
    """A job and its raw hash, or the error line of an input that could not be read."""

    job: Job | None = None
    raw: str = ""
    error: str | None = None


def iter_jobs(source: str, fetch: Fetch | None) -> Iterator[Input]:
    """The jobs of one SOURCE: a ``.jsonl`` file, a ``.warc``/``.warc.gz`` archive, a sitemap
    (a local ``.xml`` file or an http(s) URL) or a folder of pages (``.html``, ``.txt``)."""
    from sokbo.ingest import is_url

    try:
        path = Path(source)
        name = path.name.lower()
        if is_url(source):
            yield from _sitemap(source, fetch, set())
        elif path.is_dir():
            yield from _folder(path)
        elif name.endswith(".jsonl"):
            yield from _jsonl(path)
        elif name.endswith((".warc", ".warc.gz")):
            yield from _warc(path)
        elif path.suffix.lower() in SITEMAP_SUFFIXES:
            yield from _sitemap(path.resolve().as_uri(), fetch, set(), local=path)
        elif path.is_file():
            yield _file(path)
        else:
            yield Input(error=str(InputError("no such file or folder", source=source)))
    except SokboError as e:
        yield Input(error=str(e))


def _jsonl(path: Path) -> Iterator[Input]:
    from sokbo.ingest import jsonl_lines
    from sokbo.sources import raw_hash

    for line, where in jsonl_lines(path):
        yield Input(Job("record", where, (line, where)), raw_hash("record", line))


def _file(path: Path) -> Input:
    from sokbo.ingest import read_input_bytes
    from sokbo.sources import raw_hash

    data = read_input_bytes(path)
    return Input(Job("file", str(path), (path, None)),
                 raw_hash("file", str(path.resolve()), "", data))


def _folder(folder: Path) -> Iterator[Input]:
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES
                       and p.is_file()):
        try:
            yield _file(path)
        except SokboError as e:
            yield Input(error=str(e))


def _page(body: bytes, content_type: str | None, url: str, final_url: str) -> Input:
    from sokbo.sources import raw_hash

    return Input(Job("page", url, (body, content_type, url, final_url, None, None)),
                 raw_hash("page", url, final_url, content_type or "", "", "", body))


# -- WARC ----------------------------------------------------------------------------------------

def _warc(path: Path) -> Iterator[Input]:
    for url, content_type, body in read_warc(path):
        yield _page(body, content_type, url, url)


def read_warc(path: Path) -> Iterator[tuple[str, str | None, bytes]]:
    """(target URI, content type, HTTP body) of each ``response`` record of a WARC file
    (plain, or gzip-compressed record by record as crawlers write them)."""
    raw = path.read_bytes()
    stream: io.BufferedIOBase = io.BytesIO(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b"
                                           else raw)
    while True:
        line = stream.readline()
        if not line:
            return
        if not line.strip():
            continue
        if not line.startswith(b"WARC/"):
            raise InputError("not a WARC file (a record does not start with WARC/)",
                             source=str(path))
        headers = _headers(stream)
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            raise InputError("a WARC record has no Content-Length", source=str(path)) from None
        block = stream.read(length)
        if headers.get("warc-type") != "response":
            continue
        uri = headers.get("warc-target-uri", "").strip("<>")
        head, _, body = block.partition(b"\r\n\r\n")
        if not body and b"\n\n" in block:
            head, _, body = block.partition(b"\n\n")
        status = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
        if not re.match(rb"HTTP/\S+ 2\d\d", status):
            continue  # redirects, errors: no article there
        content_type = None
        for h in head.splitlines()[1:]:
            key, _, value = h.partition(b":")
            if key.strip().lower() == b"content-type":
                content_type = value.strip().decode("latin-1")
        yield uri, content_type, body


def _headers(stream: io.BufferedIOBase) -> dict[str, str]:
    headers: dict[str, str] = {}
    while True:
        line = stream.readline()
        if not line or not line.strip():
            return headers
        key, _, value = line.decode("utf-8", "replace").partition(":")
        headers[key.strip().lower()] = value.strip()


# -- sitemaps ------------------------------------------------------------------------------------

_LOC = re.compile(r"<loc>\s*(.*?)\s*</loc>", re.S | re.I)


def _sitemap(url: str, fetch: Fetch | None, seen: set[str], *,
             local: Path | None = None) -> Iterator[Input]:
    """The pages a sitemap lists (a sitemap index: its sitemaps, in turn)."""
    from html import unescape

    from sokbo.ingest import decode_text
    from sokbo.urls import file_path

    if url in seen or len(seen) >= MAX_SITEMAPS:
        return
    seen.add(url)
    if local is not None:
        from sokbo.ingest import read_input_bytes

        data = read_input_bytes(local)
    elif fetch is not None:
        data, url, _ = fetch(url)
    else:
        raise InputError("fetching a sitemap needs the network", source=url)
    text = decode_text(data, url)
    if "<urlset" not in text and "<sitemapindex" not in text:
        raise InputError("not a sitemap (no <urlset> or <sitemapindex>)", source=url)
    for loc in (unescape(m) for m in _LOC.findall(text)):
        if "<sitemapindex" in text:
            yield from _sitemap(loc, fetch, seen, local=file_path(loc))
        elif loc.startswith("file:"):
            path = file_path(loc)
            yield _file(path) if path is not None else Input(error=f"{loc}: not a local file")
        elif fetch is None:
            yield Input(error=f"{loc}: fetching pages needs the network")
        else:
            try:
                body, final, content_type = fetch(loc)
            except SokboError as e:
                yield Input(error=str(e))
                continue
            yield _page(body, content_type, loc, final)
