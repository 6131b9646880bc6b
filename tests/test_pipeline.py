"""`sokbo run` end to end on the demo corpus: posts, provenance, idempotence, updates."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from postparse import parse_post

from sokbo.cli import cli
from sokbo.config import load_settings
from sokbo.korean.style import to_polite
from sokbo.pipeline import run_pipeline
from sokbo.store import Store
from sokbo.write.provenance import check_post, check_sentence


def _sources(result) -> dict[str, list[str]]:
    return {a.id: [s.text for s in a.sentences] for a in result.articles}


def test_demo_run_writes_one_post_per_story(demo_run) -> None:
    settings, report = demo_run
    assert report.count("new") >= 3 and not report.errors
    outlets_per_post = [len({a.outlet for a in p.articles}) for p in report.posts]
    assert sum(1 for n in outlets_per_post if n >= 2) >= 2, "multi-outlet stories are grouped"
    article_ids = [a.id for p in report.posts for a in p.articles]
    assert len(article_ids) == len(set(article_ids)), "an article belongs to one story"
    assert sorted(p.name for p in settings.posts_dir.iterdir()) == sorted(
        p.path.name for p in report.posts
    )


def test_every_output_sentence_is_a_restyled_source_sentence(demo_run) -> None:
    _, report = demo_run
    for result in report.posts:
        sources = _sources(result)
        text = result.path.read_text("utf-8")
        meta, _, body = parse_post(text)
        seen = set()
        # a restyled source sentence, or a template whose slots are all the sources' words
        assert check_post(result.post, result.articles) == []
        for s in result.post.all_sentences():
            if not s.template:
                assert s.text == to_polite(sources[s.source_id][s.index]) or s.slots
            assert s.text in meta["excerpt"] or s.text in _plain(body)
            if s.role != "excerpt":
                assert s.text not in seen, "no sentence twice in the body"
                seen.add(s.text)


def _plain(body: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_excerpt_claims_appear_in_body(demo_run) -> None:
    """The body retells the excerpt's lead; any other excerpt sentence it leaves out (the
    reader has just read it) states no name or figure the body does not state too (SB501)."""
    from sokbo.korean.kiwi import tokenize
    from sokbo.lint.nlp import contains_mention, mentions, normalise

    _, report = demo_run
    for result in report.posts:
        post = result.post
        body = [s for s in post.all_sentences() if s.role != "excerpt"]
        assert post.excerpt[0].source_sentence_id in {s.source_sentence_id for s in body}
        rest = normalise(" ".join([post.title, *(s.text for s in body)]))
        for s in post.excerpt:
            if s.text in {b.text for b in body}:
                continue
            facts = [m for m in mentions(tokenize(s.text))
                     if not m.abbreviation and (m.kind == "name" or m.has_unit)]
            assert all(contains_mention(rest, m) for m in facts), s.text


def test_provenance_is_stored(demo_run) -> None:
    settings, report = demo_run
    with Store(settings.db_path) as store:
        for result in report.posts:
            record = store.get_post(result.story_id)
            assert record is not None and record.path.endswith(result.path.name)
            rows = store.post_sentences(record.id)
            assert [r["text"] for r in rows] == [s.text for s in result.post.all_sentences()]
            articles = {a.id: a for a in store.story_articles(result.story_id)}
            stored = store.load_post(record.id)
            assert stored is not None
            for r, s in zip(rows, stored.all_sentences(), strict=True):
                assert (r["source_id"], r["sentence_index"]) == (s.source_id, s.index)
                assert check_sentence(s, articles), s


def test_second_run_makes_no_new_post(tmp_path: Path, demo_dir: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    feed = str(demo_dir / "feed.xml")
    first = runner.invoke(cli, ["run", "--feed", feed, "--out", str(out), "--json"])
    assert first.exit_code == 0, first.output
    data1 = json.loads(first.stdout)
    files1 = {p: p.read_bytes() for p in (out / "_posts").iterdir()}
    second = runner.invoke(cli, ["run", "--feed", feed, "--out", str(out), "--json"])
    assert second.exit_code == 0, second.output
    data2 = json.loads(second.stdout)
    assert data1["new_posts"] >= 3
    assert data2["new_posts"] == 0 and data2["updated_posts"] == 0
    # unchanged inputs are not even extracted again: nothing read, every page already stored
    assert data2["articles_read"] == 0
    assert data2["fetch"]["unchanged"] == data1["fetch"]["fetched"] == data1["articles_read"]
    assert {p: p.read_bytes() for p in (out / "_posts").iterdir()} == files1
    human = runner.invoke(cli, ["run", "--feed", feed, "--out", str(out)])
    assert "0 new posts" in human.stdout


def test_changed_source_updates_its_post_in_place(tmp_path: Path, demo_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    feed = [str(corpus / "feed.xml")]
    first = run_pipeline(settings, feed)
    target = first.posts[0]
    page = next(
        p for p in corpus.glob("*.html")
        if target.articles[0].url.split("/")[-1] in p.read_text("utf-8", errors="replace")
    )
    raw = page.read_bytes()
    marker = "</p>".encode()
    added = "<p>관계 당국은 이번 발표에 대한 후속 점검 회의를 다음 주에 열 계획이라고 덧붙였다.</p>"
    encoding = "cp949" if b"euc-kr" in raw.lower() else "utf-8"
    pos = raw.find(marker)
    page.write_bytes(raw[: pos + len(marker)] + added.encode(encoding) + raw[pos + len(marker):])
    before = {p.path: p.path.read_text("utf-8") for p in first.posts}
    second = run_pipeline(settings, feed)
    statuses = {p.story_id: p.status for p in second.posts}
    assert statuses == {target.story_id: "updated"}, "only the changed page is read again"
    assert second.fetch_stats["unchanged"] == first.articles_read - 1
    for path, text in before.items():
        if path != target.path:
            assert path.read_text("utf-8") == text
    assert len(list(settings.posts_dir.iterdir())) == len(first.posts)


def test_json_output_shape(tmp_path: Path, demo_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", "--feed", str(demo_dir / "feed.xml"), "--out", str(tmp_path), "--json"]
    )
    data = json.loads(result.stdout)
    post = data["posts"][0]
    assert {"path", "title", "story_id", "sources", "sentences"} <= set(post)
    assert {"outlet", "url", "title"} <= set(post["sources"][0])
    assert {"text", "source_id", "sentence_index"} <= set(post["sentences"][0])


def test_new_article_joining_a_posted_story_updates_that_post(tmp_path: Path,
                                                              demo_dir: Path) -> None:
    """The earliest 부산 article arrives late: the story keeps its id and file, gains a source."""
    import re as _re

    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    full = (corpus / "feed.xml").read_text("utf-8")
    items = _re.findall(r"<item>.*?</item>", full, flags=_re.S)
    late = next(i for i in items if "hanbit-busan-wind.html" in i)
    (corpus / "partial.xml").write_text(full.replace(late, ""), "utf-8")
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")

    first = run_pipeline(settings, [str(corpus / "partial.xml")])
    busan = next(p for p in first.posts if any("부산" in a.title for a in p.articles))
    assert len(busan.articles) == 2

    second = run_pipeline(settings, [str(corpus / "feed.xml")])
    after = {p.story_id: p for p in second.posts}
    assert after[busan.story_id].status == "updated"
    assert len(after[busan.story_id].articles) == 3
    assert after[busan.story_id].path == busan.path
    assert sum(1 for p in second.posts if p.status == "new") == 0
    assert len(list(settings.posts_dir.iterdir())) == len(first.posts)
    links = parse_post(busan.path.read_text("utf-8"))[2].count('rel="noopener nofollow"')
    assert links == 3


def test_an_approval_or_an_edit_made_while_a_story_is_written_is_kept(
        tmp_path: Path, demo_dir: Path, monkeypatch) -> None:
    """The review page and a run share the state: what the reviewer saves while a story is
    being written (between reading the state and committing the post) is not lost."""
    import sokbo.pipeline as pipeline
    from sokbo.pipeline import regenerate_story
    from sokbo.store import Edit

    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    first = run_pipeline(settings, [str(demo_dir / "feed.xml")])
    sid = first.posts[0].story_id
    real_lint = pipeline.lint_post
    meanwhile = []

    def lint_while_reviewing(*args, **kw):
        if meanwhile:
            with Store(settings.db_path) as store, store.transaction() as db:
                meanwhile.pop()(store, db, store.get_post(sid))
        return real_lint(*args, **kw)

    monkeypatch.setattr(pipeline, "lint_post", lint_while_reviewing)
    meanwhile.append(lambda store, db, rec: store.set_post_status(rec.id, "approved", db=db))
    assert regenerate_story(settings, sid).review == "approved"

    meanwhile.append(lambda store, db, rec: store.save_edit(
        db, Edit(sid, "title", rec.title, "검토자가 고친 제목")))
    result = regenerate_story(settings, sid)
    assert result.title == "검토자가 고친 제목" and result.title_origin == "reviewer"
    with Store(settings.db_path) as store:
        assert store.get_post(sid).title == "검토자가 고친 제목"
    assert "title: 검토자가 고친 제목" in result.path.read_text("utf-8")


class _Killed(BaseException):
    """Stands in for kill -9 at one exact point of a run."""


def test_killed_between_an_update_and_its_file_the_next_run_writes_the_file(
        tmp_path: Path, demo_dir: Path, monkeypatch) -> None:
    """Found by the kill test: an updated post's row committed, killed before its file was
    rewritten; the old file was still there, so the rerun called the post unchanged and the
    file stayed the old version for good."""
    import sokbo.pipeline as pipeline

    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    full = (corpus / "feed.xml").read_text("utf-8")
    late = next(i for i in re.findall(r"<item>.*?</item>", full, flags=re.S)
                if "hanbit-busan-wind.html" in i)
    (corpus / "first.xml").write_text(full.replace(late, ""), "utf-8")
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    first = run_pipeline(settings, [str(corpus / "first.xml")])
    busan = next(p for p in first.posts if any("부산" in a.title for a in p.articles))
    old_text = busan.path.read_text("utf-8")

    def die_before_the_file(path: Path, text: str) -> None:
        raise _Killed

    monkeypatch.setattr(pipeline, "atomic_write_text", die_before_the_file)
    with pytest.raises(_Killed):
        run_pipeline(settings, [str(corpus / "feed.xml")])
    monkeypatch.undo()
    assert busan.path.read_text("utf-8") == old_text  # the row is new, the file is not

    again = run_pipeline(settings, [str(corpus / "feed.xml")])
    with Store(settings.db_path) as store:
        record = store.get_post(busan.story_id)
    assert busan.path.read_text("utf-8") == record.rendered != old_text
    assert record.rendered.count('rel="noopener nofollow"') == 3  # the late source joined
    assert {p.status for p in again.posts} == {"unchanged"}
