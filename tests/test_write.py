"""Writer quality rules: titles, headings, cards and excerpts, on the demo corpus and summ/dev."""
from __future__ import annotations

import json
import re

import pytest
from conftest import shared_dir

from sokbo.errors import DraftError
from sokbo.extract import article_from_text
from sokbo.korean.headline import compress_headline, make_heading, noun_phrases
from sokbo.models import Post, Story
from sokbo.write import WriterOptions, figures_of, is_same_claim, make_slug, write_post


def _words(text: str) -> list[str]:
    return text.split()


def _repeated_ngram(text: str) -> str | None:
    """A word n-gram (n ≥ 1 for titles/headings) that occurs twice."""
    words = _words(text)
    for n in range(1, len(words) // 2 + 1):
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        for g in grams:
            if grams.count(g) > 1:
                return " ".join(g)
    return None


def check_post_rules(post: Post) -> None:
    assert 0 < len(post.title) <= 30
    assert _repeated_ngram(post.title) is None, post.title
    headings = [c.subtitle for c in post.cards] + [s.heading for s in post.sections]
    for h in headings:
        assert h.strip(), "no empty heading"
        assert _repeated_ngram(h) is None, h
    body_sentences = len(post.all_sentences()) - len(post.excerpt) - len(post.notices)
    assert 3 <= len(post.excerpt) <= 5 or len(post.excerpt) == body_sentences < 5
    body = [s for s in post.all_sentences() if s.role != "excerpt"]
    ids = [s.source_sentence_id for s in body]
    assert len(ids) == len(set(ids)), "a source sentence is used once in the body"
    for card in post.cards:
        paragraph = " ".join(s.text for s in card.sentences)
        assert card.highlight and card.highlight in paragraph
        others = [s.source_sentence_id for s in body if s is not card.key_sentence]
        assert card.key_sentence.source_sentence_id not in others


def test_demo_posts_follow_writing_rules(demo_run) -> None:
    _, report = demo_run
    for result in report.posts:
        check_post_rules(result.post)


def _dev_records() -> list[dict]:
    path = shared_dir() / "data" / "summ" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found (set SOKBO_SHARED)")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_dev_set_posts_follow_writing_rules() -> None:
    written = 0
    for rec in _dev_records():
        article = article_from_text(rec["text"], title=rec.get("title"), source=rec["id"])
        try:
            post = write_post(Story(id=rec["id"], articles=(article,)), WriterOptions())
        except DraftError:
            continue  # too short for a post: reported, never padded
        check_post_rules(post)
        written += 1
    assert written >= 40


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("부산시, 해상풍력 1조 투자…\"일자리 3천 개\"", "부산시 해상풍력 1조 투자 일자리 3천 개"),
        ("'AI 반도체' 수출 18% 증가…역대 최대", "AI 반도체 수출 18% 증가 역대 최대"),
        ("[단독] 한빛전자, 새 배터리 공장에 2조 원 투입", "한빛전자 새 배터리 공장 2조 원 투입"),
        ("기준금리 연 3.25%로 동결…\"물가 더 지켜봐야\"", "기준금리 연 3.25% 동결 물가 더 지켜봐야"),
    ],
)
def test_compress_headline(headline: str, expected: str) -> None:
    assert compress_headline(headline) == expected


def test_compress_headline_keeps_whole_clauses_and_never_repeats() -> None:
    title = compress_headline(
        "강릉 겨울빛 축제 개막…강릉 경포해변 일대 40일간 빛 조형물 120점 전시·야간 공연", 30)
    assert len(title) <= 30 and _repeated_ngram(title) is None
    assert title.startswith("강릉 겨울빛 축제 개막")


def test_heading_is_a_noun_phrase_from_the_text() -> None:
    sentence = "부산시가 해상풍력 단지 조성에 1조 원을 투자해 일자리 3천 개를 만든다고 밝혔다."
    assert "해상풍력 단지 조성" in noun_phrases(sentence)
    heading = make_heading([sentence], {"해상풍력": 2.0, "단지": 1.0, "일자리": 1.5})
    assert heading and all(w in sentence for w in heading.split())
    assert _repeated_ngram(heading) is None


def test_same_claim_from_two_outlets() -> None:
    a = "AI 반도체 수출이 96억 달러로 18.2% 늘었다."
    b = "AI 반도체 수출액은 96억 달러로 18.2% 증가해 월간 최대를 기록했다."
    assert is_same_claim(0.1, figures_of(a), figures_of(b))
    assert not is_same_claim(0.1, figures_of(a), figures_of("축제는 40일 동안 열린다."))


def test_trial_and_appeal_sentences_are_two_claims() -> None:
    first = "1심에서 법원은 한 씨에게 징역 4년 6개월, 도 씨에게 징역 2년 6개월을 선고했다."
    appeal = "항소심에서 법원은 한 씨를 징역 3년 6개월로, 도 씨를 징역 1년 6개월로 감형했다."
    assert figures_of(first) == {"1", "4년6개월", "2년6개월"}
    # the same words around other figures: a second fact, not the first said again
    assert not is_same_claim(0.5, figures_of(first), figures_of(appeal))
    assert is_same_claim(0.8, figures_of(first), figures_of(appeal))


def _body_of(text: str, title: str) -> list[str]:
    """The body sentences (cards and sections) of the post written from one article."""
    article = article_from_text(text, title=title, source="one")
    post = write_post(Story(id="s-one", articles=(article,)), WriterOptions())
    return [s.text for s in post.all_sentences() if s.role != "excerpt"]


def test_post_tells_the_appeal_after_the_first_trial() -> None:
    text = (
        "누리시 상가 화재 사건의 항소심 결론이 나왔다.\n"
        "두 사람은 지난 2024년 누리시의 한 상가에 불을 질러 상인 2명을 다치게 한 혐의로 재판에 넘겨졌다.\n"
        "지난해 열린 1심에서 법원은 한 씨에게 징역 4년 6개월, 도 씨에게 징역 2년 6개월을 선고했다.\n"
        "그런데 최근 열린 항소심에서 법원은 한 씨를 징역 3년 6개월로, 도 씨를 징역 1년 6개월로 감형했다.\n"
        "재판부는 두 사람이 피해 상인들과 합의한 점을 감형 이유로 들었다.\n"
        "검사와 피고인 모두 상고하지 않아 판결은 확정됐다.\n"
    )
    said = " ".join(_body_of(text, "누리시 상가 방화범 항소심서 감형"))
    assert "3년 6개월로" in said and "4년 6개월" in said


def test_a_person_is_introduced_by_a_later_sentence_when_the_first_cannot_be_used() -> None:
    # the first sentence naming 한 모 씨 leans on a bare "…속보입니다." with nothing before
    # it; the fourth names him in full again and brings him into the post
    text = (
        "누리시 금고 털이 사건 속보입니다.\n"
        "이 사건의 배후로 지목된 사업가 한 모 씨에 대한 구속영장 심사가 열렸습니다.\n"
        "금고 털이 피의자는 이미 신상이 공개된 도하람, 나누리 두 명입니다.\n"
        "경찰은 이들의 배후에 사업가 한 모 씨가 있다고 보고 지난 5일 한 씨를 특수절도 교사 혐의로 체포했습니다.\n"
        "경찰은 도하람이 범행 직후 한 씨를 두 차례 찾아가 3천만 원을 더 요구한 점에 주목하고 있습니다.\n"
        "한 씨의 구속 여부는 이르면 오늘 밤 결정됩니다.\n"
        "한편 누리시는 시내 금고 보관 업체 12곳에 대한 긴급 안전 점검에 나섰습니다.\n"
    )
    said = _body_of(text, "'배후' 사업가 구속 갈림길…누리시 금고 털이 수사 속보")
    assert any("한 씨" in t for t in said), said
    first = next(k for k, t in enumerate(said) if "한 " in t and "씨" in t)
    assert "한 모 씨" in said[first], said  # he is introduced where he first appears


def test_a_full_name_with_ssi_introduces_the_short_form() -> None:
    # "한누리(누리대 강사)씨" introduces "한씨": the sentences about 한씨 can be told
    text = (
        "\"누리시 선거는 무효\"를 주장해 온 한누리(누리대 강사)씨가 12일 오전 누리경찰서에 출석했다.\n"
        # the first 한씨 says the lead again: left out, it cannot be what introduces him
        "한씨는 12일 오전 누리경찰서에 출석했다.\n"
        "한씨는 명예훼손 혐의로 조사를 받는다.\n"
        "한씨가 경찰에 소환된 건 이번이 처음이다.\n"
        "한씨는 출석에 앞서 \"선거 결과를 인정할 수 없다\"고 말했다.\n"
        "경찰은 한씨를 상대로 발언 경위를 조사할 계획이다.\n"
    )
    said = _body_of(text, "한누리씨 경찰 출석")
    assert sum("한씨" in t for t in said) >= 2, said


@pytest.mark.parametrize("title", ["a/b/../c", "제목\x00널", "  ", "가" * 100])
def test_slug_is_file_system_safe(title: str) -> None:
    slug = make_slug(title, "s123")
    assert slug and "/" not in slug and ".." not in slug and "\x00" not in slug
    assert len(slug.encode()) <= 80
    assert re.fullmatch(r"[0-9A-Za-z가-힣-]+", slug)
