"""sokbo bench editor: each detector hits a known fault and stays quiet on its near miss, on
fictional fixtures (tests/data/bench_editor); the user's path runs on the demo corpus; and a
quick run on real pages when ../shared is there."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, shared_dir

from sokbo.bench.editor.boilerplate import find_boilerplate
from sokbo.bench.editor.coherence import dangling, leaning_kind
from sokbo.bench.editor.headings import (
    check_headings,
    check_highlights,
    highlight_cut,
    judge_heading,
)
from sokbo.bench.editor.measure import measure_pairs, measure_suite, refusal_reason
from sokbo.bench.editor.overlap import excerpt_card_overlap, repeats
from sokbo.bench.editor.runner import PostRun, Runner, jsonl_input
from sokbo.bench.editor.speech import classify
from sokbo.bench.editor.summaries import rouge_report, textrank
from sokbo.bench.editor.titles import (
    headline_subjects,
    kept_tags,
    lost_pairs,
    lost_ranges,
    sources_defects,
    title_defects,
    unbalanced,
)
from sokbo.bench.editor.view import PostView, Source, build_view, parse_body, split_front_matter

FIX = DATA / "bench_editor"
SHARED = shared_dir()
HAVE_SHARED = (SHARED / "data" / "html").is_dir() and (SHARED / "data" / "summ").is_dir()


def _sources() -> dict[str, Source]:
    data = json.loads((FIX / "sources.json").read_text("utf-8"))
    return {s["id"]: Source(s["id"], s["title"], s["outlet"], dict(enumerate(s["sentences"])),
                            " ".join(s["sentences"]))
            for s in data["sources"]}


def _view(name: str) -> PostView:
    text = (FIX / f"{name}.post.html").read_text("utf-8")
    result = json.loads((FIX / f"{name}.result.json").read_text("utf-8"))
    return build_view(name, text, result, _sources())


def _run(name: str) -> PostRun:
    run = PostRun(name, [name], _sources())
    run.posts = [(json.loads((FIX / f"{name}.result.json").read_text("utf-8")),
                  (FIX / f"{name}.post.html").read_text("utf-8"))]
    return run


@pytest.fixture(scope="module")
def good() -> PostView:
    return _view("good")


@pytest.fixture(scope="module")
def bad() -> PostView:
    return _view("bad")


# -- reading the post ------------------------------------------------------------------------

def test_post_file_parsed_into_cards_sections_and_sources(good: PostView) -> None:
    kinds = [b.kind for b in good.blocks]
    assert kinds.count("subtitle") == 2 and kinds.count("heading") == 2
    assert kinds.count("key") == 2 and kinds[-1] == "sources"
    assert [b.text for b in good.headings] == ["해상풍력 박람회", "어민 대표 김바다",
                                               "대규모 해상풍력 단지", "향후 일정"]
    card = next(b for b in good.blocks if b.kind == "card")
    (a, z), = card.highlights
    assert card.text[a:z] == "국내외 기업"
    assert good.title.startswith("해오름시 24~30일")


def test_units_carry_provenance_and_flows(good: PostView, bad: PostView) -> None:
    assert [u.index for u in good.flow("excerpt")] == [0, 3, 6]
    assert all(u.source_id == "a1" for u in good.units)
    assert [u.where for u in good.body_units][:3] == ["card1", "card1", "key1"]
    # the sign-off line has no provenance entry: split out and marked as such
    orphans = [u for u in bad.units if u.source_id is None]
    assert [u.text for u in orphans] == ["지금까지 해오름시에서 전해드렸습니다."]


def test_front_matter_and_body_split() -> None:
    front, body = split_front_matter("---\ntitle: '제목: 부제'\n---\n<p>본문</p>\n")
    assert front == {"title": "제목: 부제"} and body == "<p>본문</p>\n"
    assert split_front_matter("<p>no front matter</p>") == ({}, "<p>no front matter</p>")
    assert parse_body("<p>출처: <a href='x'>해오름일보</a></p>")[0].links == ["해오름일보"]


# -- speech level ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, level", [
    ("시는 매달 회의를 열기로 했습니다.", "합쇼체"),
    ("협약을 맺을 예정입니까?", "합쇼체"),
    ('김 씨는 "공사를 멈춰야 한다"고 말했습니다.', "합쇼체"),         # quote ends plain: fine
    ("참가 기업은 120곳입니다(왼쪽 사진).", "합쇼체"),  # a trailing note is not the ending
    ("북측이 응답하지 않았는데요.", "해요체"),
    ("핵심은 두 가지죠.", "해요체"),
    ("직접 가 보니 붐볐더라고요.", "해요체"),
    ("시는 회의를 열기로 했다.", "해라체"),
    ("그건 내가 했어.", "해체"),
    ("해상풍력 박람회 개막.", "no-ending"),
    ('김 씨는 "공사를 멈춰야 한다"', "no-ending"),                   # narration without a verb
    ('"공사를 멈춰야 합니다."', "quote-only"),
    # a page's mismatched marks ('…‘) still pair up: the narration ends in 합쇼체
    ("‘누리쇼’는 '가을 특집‘ 편으로 배우 셋이 출연했습니다.", "합쇼체"),
])
def test_speech_level(sentence: str, level: str) -> None:
    assert classify(sentence)["level"] == level


# -- boilerplate ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("김바다: 보상이 먼저입니다.", "speaker label"),
    ("▷김바다 : 보상이 먼저입니다.", "speaker label"),
    ("<질문 6> 보상은 어떻게 됩니까?", "interview marker"),
    ("질문 5 8", "interview marker"),
    ("지금까지 사회1부에서 전해드렸습니다.", "anchor lead-in/sign-off"),
    ("위 사진은 기사 내용과 직접적인 관련이 없습니다.", "photo note"),
    ("기업 120곳이 참가합니다(왼쪽 사진).", "photo note"),
    ("[단독] 해오름시 박람회 연다", "program tag"),
    ("SC현장 해오름시 박람회", "program tag"),
    ("문의는 news@haeoreum.example 로 하면 됩니다.", "byline/copyright"),
    ("ⓒ 해오름일보 무단전재 및 재배포 금지", "byline/copyright"),
    ("[해오름일보 김바다 기자] 시는 박람회를 엽니다.", "byline/copyright"),
    ("(해오름=연합뉴스) 김바다 기자 = 시는 박람회를 엽니다.", "byline/copyright"),
    ("해오름=뉴스1 시는 박람회를 엽니다.", "syndicated dateline"),
    ("[해오름=뉴시스] 시는 박람회를 엽니다.", "syndicated dateline"),
])
def test_boilerplate_hits(text: str, kind: str) -> None:
    assert kind in [k for k, _ in find_boilerplate(text)]


@pytest.mark.parametrize("text", [
    "박람회는 오후 3:30에 개막합니다.",                       # a clock, not a speaker
    "시는 질문 5개에 답했습니다.",                            # a count of questions
    "참가 기업 사진을 공개했습니다.",                          # the word 사진 alone
    "시는 기자회견을 열었습니다.",                            # the word 기자 inside a word
    "두 팀은 2:1로 끝났습니다.",
    '김 씨는 "보상이 먼저"라고 말했습니다.',
])
def test_boilerplate_near_misses(text: str) -> None:
    assert find_boilerplate(text) == []


# -- dangling references ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, kind", [
    ("그러나 어민들은 반대합니다.", "conjunction"),
    ("하지만 어민들은 반대합니다.", "conjunction"),
    ("한편 시는 예산을 반영했습니다.", "connective"),
    ("또 시는 예산을 반영했습니다.", "connective"),
    ("그러면서 시는 예산을 반영했습니다.", "connective"),
    ("이에 따라 시는 예산을 반영했습니다.", "reference"),
    ("이를 최대한 피해 갔습니다.", "reference"),
    ("이 같은 설명을 내놨습니다.", "reference"),
    ("그는 반대했습니다.", "reference"),
    ("이날 시는 협약을 맺습니다.", "deictic"),
    ("당시 이들은 출발했습니다.", "deictic"),
    ("“이날 협약을 맺는다”고 밝혔습니다.", "deictic"),
])
def test_leaning_openings(sentence: str, kind: str) -> None:
    assert leaning_kind(sentence) == kind


@pytest.mark.parametrize("sentence", [
    "이번 박람회에는 기업 120곳이 참가합니다.",   # 이번 = this story's event
    "20일 시는 협약을 맺습니다.",                # 이날 rewritten to its date
    "이날치 밴드가 공연합니다.",                  # a name that starts like 이날
    "그린수소 기업도 참가합니다.",
    "특히 어민들은 반대합니다.",                  # focusing adverb, not a connective
])
def test_standalone_openings(sentence: str) -> None:
    assert leaning_kind(sentence) is None


def test_dangling_accepts_the_predecessor_from_a_syndicated_copy(good: PostView) -> None:
    from dataclasses import replace

    from sokbo.bench.editor.view import Unit

    copy = Source("a2", "", "", dict(good.sources["a1"].sentences))
    units = [Unit("이번 박람회에는 기업 120곳이 참가합니다.", "card", "body", 0, "a2", 1),
             Unit("이날 시는 풍력협회와 협약도 맺습니다.", "card", "body", 0, "a1", 2)]
    view = replace(good, units=units, sources={**good.sources, "a2": copy})
    assert dangling(view)[0] == 0
    copy.sentences[1] = "다른 문장이다."
    assert dangling(view)[2][0]["why"] == "follows a sentence of another source"


def test_dangling_in_bad_post_only(good: PostView, bad: PostView) -> None:
    n, leaning, offenders = dangling(good)
    assert n == 0 and leaning == 3  # 이날 after 이번, 그러나 and 한편 after their predecessors
    n, _, offenders = dangling(bad)
    assert n == 2
    assert {(o["where"], o["sentence"][:4]) for o in offenders} == {("excerpt", "이날 시"),
                                                                     ("key2", "그러나 ")}
    assert offenders[0]["source_predecessor"].startswith("이번 박람회")


# -- headings and highlights ------------------------------------------------------------------

def test_headings_in_good_and_bad_posts(good: PostView, bad: PostView) -> None:
    g = check_headings(good)
    assert (g["headings"], g["phrases"], g["frame_only"]) == (4, 4, 1)
    assert g["negation_dropped"] == [] and g["shared_head"] == []
    b = check_headings(bad)
    assert (b["headings"], b["phrases"]) == (4, 3)
    assert [x["heading"] for x in b["not_phrase"]] == ["박람회 어민"]
    assert [(x["heading"], x["dropped"]) for x in b["negation_dropped"]] == [
        ("박람회 입장료", "없으며")]
    assert [x["noun"] for x in b["shared_head"]] == ["단지"]


def test_heading_phrase_rules() -> None:
    from sokbo.bench.editor.headings import clauses

    pool = [(t, c) for t in ("양국 국민은 최대 90일간 비자 없이 상대국을 방문할 수 있다",
                             "해오름시, 해상풍력 박람회…한-노르웨이 협력 논의",
                             "시는 해상풍력단지를 조성한다")
            for c in clauses(t)]
    assert judge_heading("최대 90일간 비자 없이 방문", pool)["phrase"] is False  # 상대국을 skipped
    v = judge_heading("양국 국민 최대 90일간 비자", pool)     # 국민(은) glued, 없이 dropped
    assert not v["phrase"] and v["negation_dropped"] == "없이"
    v = judge_heading("최대 90일간 비자", pool)
    assert v["phrase"] and v["negation_dropped"] == "없이"
    assert judge_heading("비자 없이 상대국", pool)["negation_dropped"] is None
    pool2 = [(t, c) for t in ("재판에 안 나가 패소했다", "살상 무기 지원을 안 하고 돈만 보냈다")
             for c in clauses(t)]
    assert judge_heading("재판", pool2)["negation_dropped"] is None   # 안 negates 나가
    assert judge_heading("살상 무기 지원", pool2)["negation_dropped"] == "안"
    assert judge_heading("해상풍력 단지", pool)["phrase"]               # spacing differs
    assert not judge_heading("박람회 한", pool)["phrase"]               # spans the …
    assert judge_heading("해오름시 측 입장", pool)["phrase"]             # frame words aside
    assert judge_heading("향후 일정", pool)["frame_only"]
    assert not judge_heading("입장 해오름시", pool)["phrase"]           # a frame closes a heading


def test_heading_that_glues_two_constituents() -> None:
    from sokbo.bench.editor.headings import clauses

    pool = [(t, c) for t in ("불가피한 사정으로 아이를 키울 수 없을 때 두고 가는 곳이다",
                             "오늘 종일 남북을 연결하는 통신선이 끊어졌다",
                             "해당 직원은 상장 담당자로 근무했다")
            for c in clauses(t)]
    v = judge_heading("사정 아이", pool)
    assert not v["phrase"] and "사정으로" in v["why"]
    assert not judge_heading("직원 상장 담당자", pool)["phrase"]        # 직원은 dropped
    assert judge_heading("사정으로 아이를", pool)["phrase"]             # particles kept
    assert judge_heading("남북 연결", pool)["phrase"]                   # object + its predicate
    assert judge_heading("상장 담당자", pool)["phrase"]


@pytest.mark.parametrize("text, start, end, cut", [
    ("반도체 수출이 늘었습니다.", 0, 6, False),     # <b>반도체 수출</b>이
    ("자동차 회사들도 나섰습니다.", 0, 6, False),   # the plural 들 counts as a particle
    ("대규모 해상풍력 단지를 조성합니다.", 1, 11, True),  # 대<b>규모 …</b>
    ("불곰을 사살합니다.", 1, 2, True),              # 불<b>곰</b>
    ("해상풍력 단지를 조성합니다.", 0, 3, True),      # <b>해상풍</b>력
    ("‘몸값 요구’ 신고가 있었습니다.", 1, 3, False),  # after an opening quote
    ('화가는"그림이 좋다"', 0, 2, False),            # a quote mark ends the word
])
def test_highlight_cuts(text: str, start: int, end: int, cut: bool) -> None:
    assert (highlight_cut(text, start, end) is not None) is cut


def test_highlights_of_posts(good: PostView, bad: PostView) -> None:
    assert check_highlights(good) == (2, [])
    total, offenders = check_highlights(bad)
    assert total == 2 and [o["highlight"] for o in offenders] == ["규모 해상풍력 단지"]


# -- overlap, titles, sources line ------------------------------------------------------------

def test_excerpt_card_overlap_and_repeats(good: PostView, bad: PostView) -> None:
    assert excerpt_card_overlap(good)[0] == 0
    n, shared = excerpt_card_overlap(bad)
    assert n == 2 and shared[0].startswith("해오름시는")
    assert repeats(good) == [] and repeats(bad) == []


def test_repeats_find_a_sentence_and_a_quote_twice(good: PostView) -> None:
    from dataclasses import replace

    from sokbo.bench.editor.view import Unit

    twice = Unit("시 관계자는 \"지역 경제에 활력이 될 것\"이라고 말했습니다.", "section", "body", 1,
                 "a1", 10)
    view = replace(good, units=[*good.units, good.units[-1], twice])
    kinds = sorted(r["kind"] for r in repeats(view))
    assert kinds == ["quote twice", "sentence twice in body"]


def test_title_defects(good: PostView, bad: PostView) -> None:
    assert title_defects(good) == []
    assert sorted(d["defect"] for d in title_defects(bad)) == ["pair lost", "range lost"]


@pytest.mark.parametrize("title, headline, check, expected", [
    ("윤 대통령 24 30일 방미", "윤 대통령 24~30일 국빈 방미", lost_ranges, ["24~30"]),
    ("윤 대통령 24~30일 방미", "윤 대통령 24~30일 국빈 방미", lost_ranges, []),
    ("한 아르벨라 정상회담", "한-아르벨라 정상회담", lost_pairs, ["한-아르벨라"]),
    ("한-아르벨라 정상회담", "한-아르벨라 정상회담", lost_pairs, []),
    ("한 미 정상회담 열려", "한·미 정상회담 열려", lost_pairs, ["한·미"]),
    ("연구 교육 목적 활용", "연구·교육 목적 활용", lost_pairs, []),     # a list, still readable
    ("정치쇼 김현욱 강대국 제재", '[정치쇼] 김현욱 "강대국 제재하나"', kept_tags, ["정치쇼"]),
    ("김현욱 강대국 제재", '[정치쇼] 김현욱 "강대국 제재하나"', kept_tags, []),
])
def test_title_checks(title, headline, check, expected) -> None:
    assert check(title, [headline]) == expected


def test_subject_lost_judged_on_the_headline_the_title_came_from() -> None:
    from dataclasses import replace

    view = _view("good")
    other = Source("a2", "공공이 피해주택 최우선 매입", "해오름방송", {0: "공공이 매입한다."})
    two = replace(view, sources={**view.sources, "a2": other})
    assert title_defects(two) == []             # the title follows a1's headline
    lost = replace(view, title="24~30일 해상풍력 박람회", sources={"a1": replace(
        view.sources["a1"], title="해오름시가 24~30일 해상풍력 박람회 연다")})
    assert [d["defect"] for d in title_defects(lost)] == ["subject lost"]


def test_unbalanced_and_subjects() -> None:
    assert unbalanced('약소국이 강대국 제재하나"') == ['"']
    assert unbalanced("“곰 잘못 아니다” 찬반논쟁") == []
    assert unbalanced("Jay's 신곡 공개") == []
    assert headline_subjects("문체부, 가짜뉴스 퇴치 기능 강화") == ["문체부"]
    assert headline_subjects('김현욱 "약소국이 강대국 제재하나"') == []  # a quote's subject


def test_sources_defects(good: PostView, bad: PostView) -> None:
    assert sources_defects(good) == []
    kinds = sorted(d["defect"] for d in sources_defects(bad))
    assert kinds == ["legal name", "outlet named twice", "unknown outlet"]


# -- a suite's figures -----------------------------------------------------------------------

def test_measure_suite_on_fixtures() -> None:
    m = measure_suite([_run("good"), _run("bad"), PostRun("refused", ["x"], _sources(),
                                                          errors=["x.html: story too short"])])
    assert m["yield"] == pytest.approx(2 / 3, abs=1e-3)
    assert m["refusal_reasons"] == {"story too short": 1}
    assert m["not_hapsyo"]["count"] == 1 and m["not_hapsyo"]["by_level"] == {"해요체": 1}
    assert m["boilerplate"]["by_kind"] == {"photo note": 1, "anchor lead-in/sign-off": 1}
    assert m["dangling"]["count"] == 2
    assert m["heading_phrase"]["share"] == pytest.approx(7 / 8)
    assert m["highlight_cuts"]["count"] == 1
    assert m["excerpt_card_overlap"]["max"] == 2 and m["excerpt_card_overlap"]["posts_over_1"] == 1
    assert m["title_defects"]["posts"] == 1 and m["unattributed"]["count"] == 1
    json.dumps(m, ensure_ascii=False)  # the report is plain JSON


def test_refusal_reason_drops_input_and_numbers() -> None:
    reason = refusal_reason("https://x.example/a?b=1: story too short for a post: 7 usable "
                            "sentences, need 9")
    assert reason == "story too short for a post: N usable sentences, need N"


def test_pairs_merged_silently_or_split() -> None:
    two = {"a": Source("a", "", "", {0: "x"}), "b": Source("b", "", "", {0: "y"})}
    merged = PostRun("a+b", ["a", "b"], two, posts=[({"sources": [{"id": "a"}, {"id": "b"}]}, "")])
    split = PostRun("a+b", ["a", "b"], two, posts=[({"sources": [{"id": "a"}]}, ""),
                                                   ({"sources": [{"id": "b"}]}, "")])
    said = PostRun("a+b", ["a", "b"], two, result={"warnings": ["inputs are 2 stories"]},
                   posts=[({"sources": [{"id": "a"}, {"id": "b"}]}, "")])
    p = measure_pairs([merged, split, said])
    assert (p["pairs"], p["merged"], p["merged_silently"], p["split"]) == (3, 2, 1, 1)


# -- summaries -------------------------------------------------------------------------------

def test_rouge_report_counts_refusals_as_empty() -> None:
    recs = [{"id": "r1", "dataset": "sci-news-sum-kr-50",
             "text": "해오름시는 해상풍력 박람회를 연다\n기업 120곳이 참가한다\n입장료는 없다",
             "summary": "해오름시는 해상풍력 박람회를 연다"},
            {"id": "r2", "dataset": "sci-news-sum-kr-50",
             "text": "시는 예산 50억 원을 반영했다\n어민들은 반대한다",
             "summary": "시는 예산 50억 원을 반영했다"}]
    r = rouge_report(recs, {"r1": "해오름시는 해상풍력 박람회를 엽니다.", "r2": None})
    ds = r["sci-news-sum-kr-50"]
    assert ds["n"] == 2 and ds["refused"] == 1
    assert 0.3 < ds["sokbo"]["rougeL"] < 0.5          # one good summary, one empty
    assert ds["lead"]["rougeL"] == pytest.approx(1.0)  # the reference is each first line
    assert textrank(recs[0], 10).count("\n") == 0


# -- the user's path -------------------------------------------------------------------------

def test_runner_goes_through_sokbo_post(tmp_path: Path) -> None:
    from sokbo.ingest import demo_feed

    demo = demo_feed().parent
    (tmp_path / "work").mkdir()
    runner = Runner(tmp_path / "work", dump=tmp_path / "dump")
    run = runner.post("hanbit-busan-wind", [str(demo / "hanbit-busan-wind.html")], "pages")
    assert run.has_text and len(run.posts) == 1, run.errors
    view = run.views()[0]
    assert view.units and all(u.source_id in run.sources for u in view.units)
    assert (tmp_path / "dump" / "pages" / "hanbit-busan-wind.post.html").is_file()
    m = measure_suite([run])
    assert m["yield"] == 1.0 and m["not_hapsyo"]["judged"] > 0


def test_runner_reports_a_refusal_and_a_summ_record(tmp_path: Path) -> None:
    runner = Runner(tmp_path, dump=tmp_path / "dump")
    text = "\n".join(json.loads((FIX / "sources.json").read_text("utf-8"))
                     ["sources"][0]["sentences"][:4])
    short = jsonl_input(tmp_path, {"id": "rec/1", "title": "해오름시 박람회", "text": text})
    assert short.name == "rec_1.jsonl"
    run = runner.post("rec/1", [str(short)], "summ-dev")
    assert run.has_text
    if not run.posts:  # today's writer refuses short articles; the refusal is kept, not lost
        assert run.errors and (tmp_path / "dump" / "summ-dev" / "rec_1.refused.txt").is_file()


# -- real data -------------------------------------------------------------------------------

@pytest.mark.skipif(not HAVE_SHARED, reason="../shared/data not present")
def test_quick_run_on_real_pages(tmp_path: Path) -> None:
    from sokbo.cli_bench import bench_group

    result = CliRunner().invoke(bench_group, ["editor", "--shared", str(SHARED), "--limit", "2",
                                              "--no-heldout", "--json",
                                              "--dump", str(tmp_path / "dump")])
    assert result.exit_code == 0, result.output
    r = json.loads(result.output)
    pages = r["suites"]["html_pages"]
    assert pages["inputs"] == 2 and 0 <= (pages["yield"] or 0) <= 1
    for key in ("not_hapsyo", "boilerplate", "dangling", "heading_phrase", "highlight_cuts",
                "excerpt_card_overlap", "title_defects", "sources_defects"):
        assert key in pages
    dev = r["rouge"]["dev"]
    assert set(dev) == {"dacon-bflysoft-news-2020", "sci-news-sum-kr-50"}
    for ds in dev.values():
        assert ds["n"] == 2 and ds["lead"]["rougeL"] > 0 and ds["textrank"]["rougeL"] > 0
    assert r["timing"]["product_vs_kiwi_only"] > 1
    assert any((tmp_path / "dump").rglob("*.post.html"))
