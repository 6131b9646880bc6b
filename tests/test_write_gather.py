"""A story of many articles is written from a bounded set of them, and says which."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sokbo.extract import make_article
from sokbo.models import Story
from sokbo.write import WriterOptions, write_post
from sokbo.write.gather import gather_articles

KST = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 20, 8, tzinfo=KST)

CORE = (
    "한빛시가 내년 3월까지 공공자전거 1천 대를 추가로 도입한다.\n"
    "김하늘 한빛시 교통국장은 20일 시청에서 이런 계획을 발표했다.\n"
    "새 자전거는 대여소 120곳에 나뉘어 배치된다.\n"
    "시의회도 관련 예산 25억 원을 통과시켰다.\n"
)
ASIDES = [
    "대여소 {n}곳은 지하철역 출구 옆에 새로 설치된다.",
    "한빛시 공공자전거 이용자는 지난해 {n}만 명을 넘었다.",
    "자전거 정비 인력도 {n}명 늘리기로 했다.",
    "시는 시민 의견을 {n}월까지 받는다고 밝혔다.",
]


def _article(k: int, text: str | None = None, *, title: str | None = None):
    return make_article(
        url=f"https://news.example/bike/{k}", outlet=f"매체{k}",
        title=title or f"한빛시 공공자전거 1천 대 추가 도입 ({k})",
        published=START + timedelta(minutes=10 * k),
        text=text or CORE + ASIDES[k % len(ASIDES)].format(n=k + 2) + "\n")


def _story(n: int) -> Story:
    return Story("s1", tuple(_article(k) for k in range(n)))


def test_a_story_within_the_bound_is_read_whole() -> None:
    story = _story(5)
    assert gather_articles(story, 12) is story
    assert gather_articles(_story(30), 0).articles == _story(30).articles


def test_past_the_bound_first_latest_and_one_copy_of_each_text() -> None:
    arts = [_article(k) for k in range(20)]
    wire = _article(99, "연합 " + CORE)
    copies = [make_article(url=f"https://copy.example/{k}", outlet=f"지역{k}", title=wire.title,
                           published=START + timedelta(minutes=k), text=wire.text)
              for k in range(6)]
    story = Story("s1", (arts[0], wire, *copies, *arts[1:]))
    read = gather_articles(story, 8)
    assert len(read.articles) == 8
    assert read.articles[0] == story.articles[0]  # the headline's article
    assert sum(a.text == wire.text for a in read.articles) <= 1  # one copy of the wire text
    assert arts[-1] in read.articles  # the latest
    order = {a.id: i for i, a in enumerate(story.articles)}
    assert [order[a.id] for a in read.articles] == sorted(order[a.id] for a in read.articles)
    assert gather_articles(story, 8) == read  # a pure function of the story


def test_only_copies_past_the_bound_are_read_once() -> None:
    one = _article(0)
    copies = [make_article(url=f"https://copy.example/{k}", outlet=f"지역{k}", title=one.title,
                           published=START, text=one.text) for k in range(15)]
    read = gather_articles(Story("s1", (one, *copies)), 12)
    assert read.articles == (one,)


@pytest.mark.parametrize("limit", [3, 12])
def test_the_post_is_written_from_the_articles_read_and_says_so(limit: int) -> None:
    story = _story(25)
    post = write_post(story, WriterOptions(max_sources=limit))
    read = gather_articles(story, limit)
    assert [s.article_id for s in post.sources] == [a.id for a in read.articles]
    ids = {a.id for a in read.articles}
    sentences = [s for c in post.cards for s in (*c.sentences, c.key_sentence)]
    sentences += [s for sec in post.sections for p in sec.paragraphs for s in p]
    assert sentences
    for s in sentences:
        assert s.source_id in ids
        assert {slot.source_id for slot in s.slots} <= ids
    # the date is the story's, even when its first article is not read
    assert post.date == story.first_published.astimezone(KST)
