"""cluster.py: articles → stories; the demo corpus, same-day different events, the time window."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sokbo.cluster import article_dates, group_stories, url_day
from sokbo.dates import KST
from sokbo.ingest import demo_feed, load_articles
from sokbo.models import Article

DAY = datetime(2026, 12, 3, 9, 0, tzinfo=KST)

WIND = (
    "부산시, 기장 앞바다 해상풍력 단지에 1조2천억 투자",
    "부산시가 기장군 앞바다에 510MW 규모의 해상풍력 단지를 조성한다. 시는 3일 민간 사업자와 "
    "함께 풍력발전기 34기를 세우고 2030년까지 일자리 3천 개를 만들겠다고 밝혔다.",
)
WIND_2 = (
    "기장 해상풍력 510MW 단지 추진…어민들은 반발",
    "부산 기장군 앞바다 해상풍력 단지 계획이 발표됐다. 풍력발전기 34기가 들어서는 510MW 규모로, "
    "부산시는 일자리 3천 개를 기대했지만 기장 어민들은 조업 구역이 줄어든다며 반발했다.",
)
FESTIVAL = (
    "강릉 겨울빛 축제 개막…40일간 조명 작품 120점",
    "제7회 강릉 겨울빛 축제가 3일 경포 일대에서 막을 올렸다. 40일 동안 조명 작품 120점이 "
    "전시되며 강릉시는 관람객 50만 명을 목표로 하고 있다.",
)
FESTIVAL_2 = (
    "경포 밤바다 수놓은 빛…강릉 겨울빛 축제 시작",
    "강릉 경포 해변이 조명 작품 120점으로 물들었다. 강릉시가 여는 겨울빛 축제는 40일 동안 "
    "이어지며, 시는 50만 명이 다녀갈 것으로 내다봤다.",
)
# the same minister, two different events on the same day
HEARING = (
    "한가람 장관 후보자 청문회…부동산 의혹 집중 추궁",
    "국회 인사청문회에서 한가람 환경부 장관 후보자의 부동산 투기 의혹이 집중 추궁됐다. 야당 "
    "의원들은 세종시 아파트 분양 과정을 따져 물었고 한 후보자는 위법은 없었다고 답했다.",
)
HEARING_2 = (
    "청문회서 한가람 후보자 '세종 아파트 분양' 공방",
    "한가람 환경부 장관 후보자 인사청문회에서 세종시 아파트 분양 특혜 의혹을 두고 여야가 "
    "공방을 벌였다. 한 후보자는 청문회에서 투기 목적이 아니었다고 해명했다.",
)
VISIT = (
    "한가람 장관, 낙동강 녹조 현장 방문…'여름 전 대책'",
    "한가람 환경부 장관이 경남 창녕 낙동강 합천창녕보를 찾아 녹조 발생 상황을 점검했다. 한 "
    "장관은 여름이 오기 전 정수장 관리 대책을 마련하겠다고 말했다.",
)
VISIT_2 = (
    "녹조 점검 나선 한가람 장관 '정수장 관리 강화'",
    "낙동강 녹조 현장을 방문한 한가람 환경부 장관은 창녕 합천창녕보 인근 정수장의 관리를 "
    "강화하겠다고 밝혔다. 장관은 여름철 녹조 경보에 대비하라고 지시했다.",
)


def _article(key: str, story: tuple[str, str], when: datetime | None, url: str = "") -> Article:
    title, text = story
    return Article(id=key, url=url or f"https://news.example/{key}", title=title, outlet=key,
                   published=when, text=text)


def _groups(stories) -> set[frozenset[str]]:
    return {frozenset(a.id for a in s.articles) for s in stories}


# story → a word every title of that story has, and its outlet count (src/sokbo/demo/README.md)
DEMO_STORIES = {"A": ("풍력", 3), "B": ("수출", 3), "C": ("위성", 2), "D": ("축제", 1)}


def test_demo_corpus_groups_into_its_four_stories() -> None:
    articles, errors = load_articles([str(demo_feed())])
    assert not errors and len(articles) == 9
    stories = group_stories(articles)
    assert len(stories) == 4
    found = {}
    for s in stories:
        keys = {k for k, (word, _) in DEMO_STORIES.items()
                if all(word in a.title for a in s.articles)}
        assert len(keys) == 1, [a.title for a in s.articles]
        found[keys.pop()] = len({a.outlet for a in s.articles})
        dates = [a.published for a in s.articles]
        assert dates == sorted(dates), "a story's articles are oldest first"
    assert found == {k: n for k, (_, n) in DEMO_STORIES.items()}


def test_different_events_on_the_same_day_stay_apart() -> None:
    articles = [
        _article("w1", WIND, DAY), _article("f1", FESTIVAL, DAY + timedelta(hours=1)),
        _article("w2", WIND_2, DAY + timedelta(hours=2)), _article("f2", FESTIVAL_2, DAY),
    ]
    assert _groups(group_stories(articles)) == {frozenset({"w1", "w2"}), frozenset({"f1", "f2"})}


def test_same_person_different_events_stay_apart() -> None:
    articles = [
        _article("h1", HEARING, DAY), _article("v1", VISIT, DAY + timedelta(hours=3)),
        _article("h2", HEARING_2, DAY + timedelta(hours=1)),
        _article("v2", VISIT_2, DAY + timedelta(hours=4)),
    ]
    assert _groups(group_stories(articles)) == {frozenset({"h1", "h2"}), frozenset({"v1", "v2"})}


def test_time_window_is_respected() -> None:
    later = DAY + timedelta(days=5)
    articles = [_article("a", WIND, DAY), _article("b", WIND_2, later)]
    assert len(group_stories(articles, window_hours=72)) == 2
    assert len(group_stories(articles, window_hours=24 * 7)) == 1


def test_undated_article_takes_the_day_in_its_url() -> None:
    articles = [
        _article("a", WIND, DAY),
        _article("b", WIND_2, None, url="https://news.example/view/NISX20261210_0001"),
    ]
    assert len(group_stories(articles)) == 2, "URL day 7 days later: outside the window"
    articles[1] = _article("b", WIND_2, None, url="https://news.example/view/NISX20261203_0001")
    assert len(group_stories(articles)) == 1
    articles[1] = _article("b", WIND_2, None, url="https://news.example/article/12345")
    assert len(group_stories(articles)) == 1, "no date at all: only the text decides"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.ytn.example/_ln/0101_202601302248215648", "2026-01-30"),
        ("https://www.news.example/view/AKR20260130162100001?input=1195m", "2026-01-30"),
        ("https://news.example/2026/01/29/abc/", "2026-01-29"),
        ("https://news.example/2026-02-01/x", "2026-02-01"),
        ("https://news.example/article/12043892", None),
        ("https://news.example/news_id=N1008423887", None),
        ("https://news.example/20260230/x", None),
        ("", None),
    ],
)
def test_url_day(url: str, day: str | None) -> None:
    found = url_day(url)
    assert (found.date().isoformat() if found else None) == day


def test_published_time_wins_over_url_day() -> None:
    a = _article("a", WIND, DAY, url="https://news.example/20260101/x")
    assert article_dates([a]) == [DAY]


def test_single_and_no_article() -> None:
    assert group_stories([]) == []
    assert len(group_stories([_article("a", WIND, None)])) == 1
