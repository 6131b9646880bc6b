"""Stories in `sokbo run` are a pure function of the stored articles (issue 11, item 7).

Two short, unrelated articles of one day share only common words ("정부", "발표", "관계 부처");
the articles of the days before use those words too, so they weigh little and the two stay
apart. sokbo 0.1 clustered whatever a run happened to read (plus stored articles near it in
time), so a run that read only the two, after an interrupted run had stored the older ones,
weighed the common words as rare and published a post merging them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from loopback import LoopbackServer
from newssite import fast_settings, page_reply

from sokbo.config import load_settings
from sokbo.pipeline import run_pipeline
from sokbo.store import Store

FIRE = ("정부, 봄철 산불 대비 헬기 12대 추가 배치", [
    "정부는 봄철 산불에 대비해 산림청 헬기 12대를 강원과 경북에 추가로 배치한다고 발표했다.",
    "배치는 다음 달 1일부터 석 달 동안 이어진다.",
    "산림청은 감시 인력 300명도 함께 늘린다.",
    "야간 진화가 가능한 대형 헬기는 울진과 삼척에 머문다.",
    "산불 위험이 큰 날에는 입산이 통제된다.",
    "관계 부처는 세부 일정을 다음 달 공개한다.",
])
RENT = ("정부, 청년 월세 지원 대상 5만 명 확대", [
    "정부는 청년 월세 지원 대상을 올해 5만 명 늘린다고 발표했다.",
    "신청은 주민센터와 복지로 누리집에서 받는다.",
    "지원 금액은 한 달 20만 원으로 최장 1년 동안 나온다.",
    "소득 기준은 중위소득 60% 이하로 유지된다.",
    "부모와 따로 사는 무주택 청년이 대상이다.",
    "관계 부처는 세부 일정을 다음 달 공개한다.",
])
PLANS = [("항만 물류", "부산항과 광양항의 컨테이너 처리 능력을 키운다"),
         ("전통시장 상품권", "온누리상품권 할인율을 10%로 올린다"),
         ("철도 안전", "노후 선로 200km를 교체한다"),
         ("수산물 수출", "김과 전복 수출 물류비를 돕는다"),
         ("농가 인력", "계절 근로자 1만 명을 들여온다"),
         ("반도체 인재", "대학 계약학과 정원을 늘린다"),
         ("다문화 가정", "한국어 교육 바우처를 새로 만든다"),
         ("섬 지역 의료", "병원선 두 척을 새로 띄운다"),
         ("문화재 보수", "목조 건축물 방재 설비를 바꾼다"),
         ("공공 와이파이", "버스 정류장 무선망을 넓힌다"),
         ("기상 관측", "해양 기상 부이를 30곳 더 설치한다"),
         ("하천 정비", "지방 하천 제방 보강을 서두른다")]


def _articles() -> list[dict[str, object]]:
    """12 government plans on 20–24 February, then the two short articles on 2 March."""
    out: list[dict[str, object]] = []
    for i, (topic, what) in enumerate(PLANS):
        out.append({
            "slug": f"plan{i:02d}", "title": f"정부, {topic} 대책 발표",
            "sentences": [f"정부는 {topic} 대책을 발표했다.",
                          f"이번 대책은 {what}는 내용을 담았다.",
                          "관계 부처는 세부 일정을 다음 달 공개할 예정이다.",
                          "예산 규모는 아직 정해지지 않았다.", "지역별 설명회도 열린다."],
            "published": f"2026-02-{20 + i % 5:02d}T09:00:00+09:00", "outlet": "다온뉴스"})
    for slug, (title, sentences), hour, outlet in (("fire", FIRE, 9, "가람일보"),
                                                   ("rent", RENT, 10, "나래신문")):
        out.append({"slug": slug, "title": title, "sentences": sentences,
                    "published": f"2026-03-02T{hour:02d}:00:00+09:00", "outlet": outlet})
    return out


def _jsonl(path: Path, rows: list[dict[str, object]]) -> str:
    path.write_text("".join(
        json.dumps({"title": r["title"], "text": " ".join(r["sentences"]),  # type: ignore
                    "url": f"https://news.example/{r['slug']}", "outlet": r["outlet"],
                    "published": r["published"]}, ensure_ascii=False) + "\n"
        for r in rows), "utf-8")
    return str(path)


def _stories(out: Path) -> set[frozenset[str]]:
    """Each post's sources (the last part of their URLs), from the store."""
    with Store(out / "sokbo.db") as store:
        rows = store.db.execute(
            "SELECT a.url, a.story_id FROM articles a JOIN posts p ON p.story_id = a.story_id"
        ).fetchall()
    groups: dict[str, set[str]] = {}
    for url, sid in rows:
        groups.setdefault(sid, set()).add(url.rstrip("/").split("/")[-1])
    return {frozenset(g) for g in groups.values()}


def _posts_on_disk(out: Path) -> int:
    return len(list((out / "_posts").iterdir()))


def test_stories_do_not_depend_on_how_runs_split_the_articles(tmp_path: Path) -> None:
    rows = _articles()
    whole = load_settings().with_overrides(out_dir=tmp_path / "whole")
    run_pipeline(whole, [_jsonl(tmp_path / "all.jsonl", rows)], preview=False)
    split = load_settings().with_overrides(out_dir=tmp_path / "split")
    run_pipeline(split, [_jsonl(tmp_path / "plans.jsonl", rows[:-2])], preview=False)
    run_pipeline(split, [_jsonl(tmp_path / "short.jsonl", rows[-2:])], preview=False)
    assert not any({"fire", "rent"} <= s for s in _stories(tmp_path / "whole"))
    assert _stories(tmp_path / "split") == _stories(tmp_path / "whole")
    assert _posts_on_disk(tmp_path / "split") == _posts_on_disk(tmp_path / "whole")


def _page(row: dict[str, object]) -> bytes:
    paragraphs = "".join(f"<p>{s}</p>" for s in row["sentences"])  # type: ignore[attr-defined]
    return (
        f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{row["title"]}'
        f'</title><meta property="og:title" content="{row["title"]}">'
        f'<meta property="article:published_time" content="{row["published"]}"></head>'
        f'<body><article><h1>{row["title"]}</h1>{paragraphs}</article></body></html>'
    ).encode()


def _feed(srv: LoopbackServer, rows: list[dict[str, object]]) -> bytes:
    items = "".join(
        f"<item><title>{r['title']}</title><link>{srv.url('/' + str(r['slug']) + '.html')}</link>"
        f"<guid>{r['slug']}</guid><source url=\"{srv.url('/rss.xml')}\">{r['outlet']}</source>"
        f"</item>" for r in rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>정책 뉴스'
            f"</title><link>{srv.url('/')}</link>{items}</channel></rss>").encode()


class Killed(BaseException):
    """Stands for `kill -9`: nothing after it runs (no except Exception catches it)."""


def test_a_run_killed_after_its_first_post_then_rerun_posts_what_one_run_posts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sokbo.pipeline

    rows = _articles()
    with LoopbackServer() as srv:
        for r in rows:
            srv.route_reply(f"/{r['slug']}.html", page_reply(_page(r), f"{r['slug']}.html"))
        srv.route_reply("/rss.xml", page_reply(_feed(srv, rows), "rss.xml"))
        feed = [srv.url("/rss.xml")]

        whole = fast_settings(tmp_path / "whole")
        run_pipeline(whole, feed, preview=False)

        killed = fast_settings(tmp_path / "killed")
        write = sokbo.pipeline.atomic_write_text

        def write_then_die(path: Path, text: str) -> None:
            write(path, text)
            raise Killed

        monkeypatch.setattr(sokbo.pipeline, "atomic_write_text", write_then_die)
        with pytest.raises(Killed):
            run_pipeline(killed, feed, preview=False)
        assert _posts_on_disk(tmp_path / "killed") == 1
        monkeypatch.setattr(sokbo.pipeline, "atomic_write_text", write)
        rerun = run_pipeline(killed, feed, preview=False)

    assert rerun.articles_read < len(rows), "the rerun reads only what was not stored"
    assert not any({"fire", "rent"} <= s for s in _stories(tmp_path / "whole"))
    assert _stories(tmp_path / "killed") == _stories(tmp_path / "whole")
    names = sorted(p.name for p in (tmp_path / "whole" / "_posts").iterdir())
    assert sorted(p.name for p in (tmp_path / "killed" / "_posts").iterdir()) == names


def test_a_store_of_sokbo_0_1_is_analysed_once_and_its_stories_continue(
        tmp_path: Path, demo_dir: Path) -> None:
    """A store without clustering tables (as sokbo 0.1 left it): the late 부산 article joins
    the 부산 story posted before, whose post is updated in place."""
    import re
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    full = (corpus / "feed.xml").read_text("utf-8")
    items = re.findall(r"<item>.*?</item>", full, flags=re.S)
    late = next(i for i in items if "hanbit-busan-wind.html" in i)
    (corpus / "partial.xml").write_text(full.replace(late, ""), "utf-8")
    (corpus / "late.xml").write_text(
        full.replace("".join(full.partition("<item>")[1:]), "") + late + "</channel></rss>",
        "utf-8")
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    first = run_pipeline(settings, [str(corpus / "partial.xml")], preview=False)
    busan = next(p for p in first.posts if any("부산" in a.title for a in p.articles))
    with Store(settings.db_path) as store, store.transaction() as db:
        for table in ("article_terms", "story_merges", "story_pending", "cluster_state"):
            db.execute(f"DELETE FROM {table}")

    second = run_pipeline(settings, [str(corpus / "late.xml")], preview=False)
    assert second.articles_read == 1
    after = {p.story_id: p for p in second.posts}
    assert after[busan.story_id].status == "updated"
    assert len(after[busan.story_id].articles) == 3
    assert not [p for p in second.posts if p.status == "new"]
    with Store(settings.db_path) as store:
        analysed = store.db.execute("SELECT COUNT(*) FROM article_terms").fetchone()[0]
    assert analysed == 9
