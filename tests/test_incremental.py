"""A run costs what is new: unchanged inputs are skipped before extraction, and extraction in
worker processes (`--jobs N`) gives the same posts as in one process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sokbo.config import load_settings
from sokbo.pipeline import run_pipeline
from sokbo.store import Store
from sokbo.workers import MIN_PARALLEL


def _records(demo_dir: Path, copies: int) -> list[str]:
    """JSONL lines from the (fictional) demo articles, each copied under new URLs and days."""
    from sokbo.ingest import article_from_file

    articles = [article_from_file(p) for p in sorted(demo_dir.glob("*.html"))]
    lines = []
    for k in range(copies):
        for n, a in enumerate(articles):
            lines.append(json.dumps({
                "title": a.title, "text": a.text, "outlet": a.outlet,
                "url": f"https://copies.example/{k}/{n}",
                "published": f"2026-03-{1 + 4 * k:02d}T{9 + n:02d}:00:00+09:00"},
                ensure_ascii=False))
    return lines


def _settings(out: Path, **kw):
    return load_settings().with_overrides(out_dir=out, **kw)


def test_unchanged_lines_are_not_extracted_again(tmp_path: Path, demo_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _records(demo_dir, 1)
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    settings = _settings(tmp_path / "out", jobs=1)
    first = run_pipeline(settings, [str(inputs)], preview=False)
    assert first.articles_read == len(lines) and not first.errors

    import sokbo.ingest

    calls: list[str] = []
    real = sokbo.ingest.article_from_record
    monkeypatch.setattr(sokbo.ingest, "article_from_record",
                        lambda line, where: calls.append(where) or real(line, where))
    second = run_pipeline(settings, [str(inputs)], preview=False)
    assert calls == [] and second.articles_read == 0 and second.posts == []
    assert second.fetch_stats["unchanged"] == len(lines)

    # one changed line is the only one extracted, and updates its story's post
    changed = json.loads(lines[2])
    changed["text"] += "\n관계 기관은 다음 주에 후속 회의를 열 계획이라고 밝혔다."
    lines[2] = json.dumps(changed, ensure_ascii=False)
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    third = run_pipeline(settings, [str(inputs)], preview=False)
    assert calls == [f"{inputs}:3"]
    assert [p.status for p in third.posts] == ["updated"]

    # an article the store no longer holds is extracted again, whatever its bytes
    with Store(settings.state) as store, store.transaction() as db:
        db.execute("DELETE FROM articles WHERE url = ?", ("https://copies.example/0/0",))
    calls.clear()
    run_pipeline(settings, [str(inputs)], preview=False)
    assert calls == [f"{inputs}:1"]


def _posts(out: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((out / "_posts").iterdir())}


def test_two_jobs_write_what_one_job_writes(tmp_path: Path, demo_dir: Path) -> None:
    lines = _records(demo_dir, 3)
    assert len(lines) >= MIN_PARALLEL, "enough articles to start worker processes"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    one = run_pipeline(_settings(tmp_path / "one", jobs=1), [str(inputs)], preview=False)
    two = run_pipeline(_settings(tmp_path / "two", jobs=2), [str(inputs)], preview=False)
    assert not one.errors and not two.errors
    assert [(p.story_id, p.status) for p in one.posts] == \
        [(p.story_id, p.status) for p in two.posts]
    assert _posts(tmp_path / "one") == _posts(tmp_path / "two")


def test_posts_drafted_in_workers_are_not_rendered_again(tmp_path: Path, demo_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's process places a worker's draft at the path and text the worker rendered
    (its own slug, no edit): it renders a post only when the draft does not fit."""
    import sokbo.render

    lines = _records(demo_dir, 3)
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    real, rendered = sokbo.render.render_post, []

    def counting(post, *args, **kwargs):  # noqa: ANN001, ANN202 - a spy
        rendered.append(post.story_id)
        return real(post, *args, **kwargs)

    monkeypatch.setattr(sokbo.render, "render_post", counting)
    one = run_pipeline(_settings(tmp_path / "one", jobs=1), [str(inputs)], preview=False)
    assert len(rendered) >= len(one.posts) > 3
    rendered.clear()
    two = run_pipeline(_settings(tmp_path / "two", jobs=2), [str(inputs)], preview=False)
    assert len(two.posts) == len(one.posts) and rendered == []  # the workers' renders only
    assert _posts(tmp_path / "one") == _posts(tmp_path / "two")


def test_a_bad_line_in_a_worker_costs_only_itself(tmp_path: Path, demo_dir: Path) -> None:
    lines = _records(demo_dir, 3)
    lines[5] = '{"title": "제목", "text": 12}'
    lines[7] = "not json"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    report = run_pipeline(_settings(tmp_path / "out", jobs=2), [str(inputs)], preview=False)
    assert report.articles_read == len(lines) - 2
    assert len(report.errors) == 2 and report.fetch_stats["failed"] == 2
    assert any(f"{inputs}:6" in e for e in report.errors)
    assert any(f"{inputs}:8" in e and "not valid JSON" in e for e in report.errors)


def test_the_preview_rewrites_only_the_pages_that_changed(tmp_path: Path, demo_run) -> None:
    import shutil

    from sokbo.site import build_site

    base, _ = demo_run
    out = tmp_path / "out"
    shutil.copytree(base.out_dir, out)
    settings = base.with_overrides(out_dir=out)
    build_site(settings)
    pages = sorted((out / "site" / "posts").glob("*.html"))
    assert len(pages) >= 3
    stamps = {p: p.stat().st_mtime_ns for p in pages}
    for p in pages:  # a page the build does not write again keeps what is on disk
        p.write_text(p.read_text("utf-8") + "<!-- kept -->", "utf-8")
    marked = {p: p.stat().st_mtime_ns for p in pages}
    assert marked != stamps
    with Store(settings.state) as store:
        first = store.list_posts()[0]
        store.set_post_status(first.id, "rejected")
    build_site(settings)
    rewritten = [p.name for p in pages if "<!-- kept -->" not in p.read_text("utf-8")]
    assert rewritten == [f"{first.id}.html"]
    (out / "site" / "posts" / f"{first.id}.html").unlink()
    build_site(settings)  # a missing page is written again
    assert (out / "site" / "posts" / f"{first.id}.html").is_file()


def test_a_long_run_reports_headlines_and_writes_the_same_posts(
        tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sokbo.pipeline

    lines = _records(demo_dir, 1)
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    whole = run_pipeline(_settings(tmp_path / "whole", jobs=1), [str(inputs)], preview=False)
    monkeypatch.setattr(sokbo.pipeline, "REPORT_ARTICLES", len(lines) - 1)
    long = run_pipeline(_settings(tmp_path / "long", jobs=1), [str(inputs)], preview=False)
    assert _posts(tmp_path / "whole") == _posts(tmp_path / "long")
    assert all(a.text and a.sentences for p in whole.posts for a in p.articles)
    assert all(not a.text and not a.sentences for p in long.posts for a in p.articles)
    assert [[(a.id, a.content_hash, a.outlet) for a in p.articles] for p in whole.posts] == \
        [[(a.id, a.content_hash, a.outlet) for a in p.articles] for p in long.posts]
    same = json.dumps(whole.to_dict()["posts"], ensure_ascii=False).replace(
        str(tmp_path / "whole"), str(tmp_path / "long"))
    assert same == json.dumps(long.to_dict()["posts"], ensure_ascii=False)
