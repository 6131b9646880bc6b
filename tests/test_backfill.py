"""`sokbo backfill` on a local Ray (started once for the session): JSONL, WARC, sitemap and
folder sources; the same posts as `sokbo run`; a rerun skips what is stored."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sokbo.backfill.inputs import iter_jobs, read_warc
from sokbo.config import load_settings
from sokbo.pipeline import run_pipeline
from sokbo.store import Store


@pytest.fixture(scope="session")
def local_ray():
    """One local Ray for the whole session (its start-up takes seconds)."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _records(demo_dir: Path, copies: int) -> list[str]:
    from sokbo.ingest import article_from_file

    articles = [article_from_file(p) for p in sorted(demo_dir.glob("*.html"))]
    return [json.dumps({"title": a.title, "text": a.text, "outlet": a.outlet,
                        "url": f"https://archive.example/{k}/{n}",
                        "published": f"2026-02-{1 + 5 * k:02d}T{9 + n:02d}:00:00+09:00"},
                       ensure_ascii=False)
            for k in range(copies) for n, a in enumerate(articles)]


def _warc_record(uri: str, body: bytes, kind: str = "response", status: str = "200 OK") -> bytes:
    http = (f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n").encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _warc(path: Path, pages: list[Path]) -> Path:
    data = b"".join(
        gzip.compress(_warc_record(f"https://warc.example/{p.stem}", p.read_bytes()))
        for p in pages)
    data += gzip.compress(_warc_record("https://warc.example/gone", b"", status="404 Not Found"))
    data += gzip.compress(_warc_record("https://warc.example/req", b"GET /", kind="request"))
    path.write_bytes(data)
    return path


def test_a_warc_archive_gives_its_responses(tmp_path: Path, demo_dir: Path) -> None:
    pages = sorted(demo_dir.glob("*.html"))[:2]
    warc = _warc(tmp_path / "crawl.warc.gz", pages)
    got = list(read_warc(warc))
    assert [u for u, _, _ in got] == [f"https://warc.example/{p.stem}" for p in pages]
    assert got[0][1] == "text/html; charset=utf-8" and got[0][2] == pages[0].read_bytes()
    (tmp_path / "bad.warc").write_bytes(b"not a warc\r\n")
    [bad] = list(iter_jobs(str(tmp_path / "bad.warc"), None))
    assert bad.job is None and "not a WARC file" in (bad.error or "")


def test_a_sitemap_and_a_folder_list_their_pages(tmp_path: Path, demo_dir: Path) -> None:
    pages = sorted(demo_dir.glob("*.html"))
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset>' + "".join(
        f"<url><loc>{p.resolve().as_uri()}</loc></url>" for p in pages[:3]) + "</urlset>",
        "utf-8")
    assert [i.job.where for i in iter_jobs(str(sitemap), None)] == [str(p) for p in pages[:3]]
    folder = [i.job.where for i in iter_jobs(str(demo_dir), None)]
    assert folder == [str(p) for p in pages]
    [missing] = list(iter_jobs(str(tmp_path / "nope.jsonl"), None))
    assert missing.error


def _posts(out: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((out / "_posts").iterdir())}


def test_backfill_on_ray_writes_what_run_writes(tmp_path: Path, demo_dir: Path,
                                                local_ray, monkeypatch) -> None:
    from test_morphs import _counting

    from sokbo.backfill import run_backfill

    lines = _records(demo_dir, 3)
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(lines) + "\n" + "not json\n", "utf-8")
    settings = load_settings().with_overrides(out_dir=tmp_path / "back")
    analysed = _counting(monkeypatch)
    # partitions of 4 days: the copies (5 days apart) fall in several, stories cross none
    report = run_backfill(settings, [str(archive)], workers=2, partition_days=4,
                          preview=False)
    assert report.partitions >= 3 and report.articles_read == len(lines)
    assert len(report.errors) == 1 and "not valid JSON" in report.errors[0]
    monkeypatch.undo()
    run = run_pipeline(load_settings().with_overrides(out_dir=tmp_path / "run", jobs=1),
                       [str(archive)], preview=False)
    assert _posts(tmp_path / "back") == _posts(tmp_path / "run")
    assert sorted(p.story_id for p in report.posts) == sorted(p.story_id for p in run.posts)
    with Store(settings.state) as store:  # each article's analysis kept with it
        stored = store.load_articles()
        assert stored and len(store.kept_morphs(stored)) == len(stored)
        texts = {s.text for a in stored for s in a.sentences}
    assert not texts & set(analysed)  # the writer analysed no sentence the actors had

    again = run_backfill(settings, [str(archive)], workers=2, preview=False)
    assert again.posts == [] and again.fetch_stats["unchanged"] == len(lines)


def test_backfill_command_reads_a_warc_and_a_folder(tmp_path: Path, demo_dir: Path,
                                                    local_ray) -> None:
    from sokbo.cli import cli

    pages = sorted(demo_dir.glob("*.html"))
    warc = _warc(tmp_path / "crawl.warc.gz", pages[:4])
    folder = tmp_path / "pages"
    folder.mkdir()
    for p in pages[4:]:
        shutil.copy(p, folder / p.name)
    result = CliRunner().invoke(cli, ["backfill", str(warc), str(folder), "--out",
                                      str(tmp_path / "out"), "--workers", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles_read"] == len(pages) and data["workers"] == 2
    assert data["new_posts"] >= 3 and not data["errors"]
    assert all(Path(p["path"]).is_file() for p in data["posts"])
