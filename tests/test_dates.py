"""dates.py: Korean and feed date formats, zone handling, and property tests."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sokbo.dates import KST, feed_entry_datetime, parse_datetime, to_kst

UTC = timezone.utc


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=KST)


@pytest.mark.parametrize(
    "text, expected",
    [
        # ISO 8601
        ("2025-07-03T09:40:00+09:00", kst(2025, 7, 3, 9, 40)),
        ("2025-07-03T00:40:00Z", kst(2025, 7, 3, 9, 40)),
        ("2025-07-03T09:40:00.123+0900", kst(2025, 7, 3, 9, 40, 0, 123000)),
        ("2025-07-03T09:40:00", kst(2025, 7, 3, 9, 40)),  # zone-less → KST, not UTC
        ("2025-07-03", kst(2025, 7, 3)),
        ("20250703T094000", kst(2025, 7, 3, 9, 40)),
        # RFC 822 (feeds)
        ("Thu, 03 Jul 2025 08:00:00 +0900", kst(2025, 7, 3, 8, 0)),
        ("Thu, 03 Jul 2025 08:00:00 GMT", kst(2025, 7, 3, 17, 0)),
        ("Wed, 02 Jul 2025 23:00:00 +0000", kst(2025, 7, 3, 8, 0)),
        ("Thu, 03 Jul 2025 08:00:00 KST", kst(2025, 7, 3, 8, 0)),
        ("Thu, 03 Jul 2025 08:00:00", kst(2025, 7, 3, 8, 0)),
        ("03 Jul 2025 08:00 +0900", kst(2025, 7, 3, 8, 0)),
        ("Thu, 03 Jul 2025 08:00:00 -0000", kst(2025, 7, 3, 17, 0)),
        # Korean site formats
        ("2025-07-03 09:40:00", kst(2025, 7, 3, 9, 40)),
        ("2025-07-03 09:40:00 +0900", kst(2025, 7, 3, 9, 40)),
        ("2025.07.03 10:15", kst(2025, 7, 3, 10, 15)),
        ("2025.7.3", kst(2025, 7, 3)),
        ("2025/07/03 오전 10:15", kst(2025, 7, 3, 10, 15)),
        ("2025/07/03 오후 10:15", kst(2025, 7, 3, 22, 15)),
        ("2025/07/03 오후 12:15", kst(2025, 7, 3, 12, 15)),
        ("2025/07/03 오전 12:15", kst(2025, 7, 3, 0, 15)),
        ("2025-07-03 2:05 PM", kst(2025, 7, 3, 14, 5)),
        ("2025. 7. 3.(목) 오후 2:05", kst(2025, 7, 3, 14, 5)),
        ("2025.07.03(목) 10:15:30", kst(2025, 7, 3, 10, 15, 30)),
        ("2025년 7월 3일 오후 2시 5분", kst(2025, 7, 3, 14, 5)),
        ("2025년 7월 3일 오전 9시", kst(2025, 7, 3, 9, 0)),
        ("2025년 7월 3일 14:05", kst(2025, 7, 3, 14, 5)),
        ("2025년 07월 03일 목요일 14:05", kst(2025, 7, 3, 14, 5)),
        ("2025년 7월 3일", kst(2025, 7, 3)),
        ("기사입력 2025년 7월 3일 10시 15분", kst(2025, 7, 3, 10, 15)),
        ("입력 2025.07.03 10:15 수정 2025.07.04 09:00", kst(2025, 7, 3, 10, 15)),
        ("입력 2025-07-03 10:15:00 | 수정 2025-07-04 09:00:00", kst(2025, 7, 3, 10, 15)),
        ("송고시간 2025-07-03 10:15", kst(2025, 7, 3, 10, 15)),
        ("등록 2025/07/03 오전 10:15", kst(2025, 7, 3, 10, 15)),
        ("2025.7.3/뉴스1", kst(2025, 7, 3)),
        ("  2025.07.03\n\t10:15  ", kst(2025, 7, 3, 10, 15)),
        ("２０２５．０７．０３ １０：１５", kst(2025, 7, 3, 10, 15)),  # full-width digits
        # localised RFC 822 that feedparser cannot read
        ("목, 03 7월 2025 08:00:00 +0900", kst(2025, 7, 3, 8, 0)),
        ("목, 03 7월 2025 08:00:00", kst(2025, 7, 3, 8, 0)),
        ("수, 02 7월 2025 23:00:00 +0000", kst(2025, 7, 3, 8, 0)),
    ],
)
def test_parse_datetime_formats(text, expected):
    got = parse_datetime(text)
    assert got is not None
    assert got.tzinfo is not None
    assert got == expected  # compares instants
    assert to_kst(got).replace(tzinfo=None) == expected.replace(tzinfo=None)


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "junk", "오늘", "3시간 전", "오후 2시", "12345678", "2025-13-45",
     "2025.02.30 10:00", "2025/07/03 오후 25:00", "1234.5.6", "9999-12-31T23:59:59-23:59",
     "Thu, 99 Jul 2025 08:00:00 +0900", "2025-07-03T09:40:00+99:00", "010-1234-5678"],
)
def test_parse_datetime_junk_returns_none(text):
    assert parse_datetime(text) is None


def test_parse_datetime_default_tz():
    got = parse_datetime("2025-07-03 09:40:00", default_tz=UTC)
    assert got == datetime(2025, 7, 3, 9, 40, tzinfo=UTC)
    # an explicit zone wins over the default
    assert parse_datetime("2025-07-03T09:40:00+09:00", default_tz=UTC) == kst(2025, 7, 3, 9, 40)


def test_parse_datetime_keeps_stated_offset():
    got = parse_datetime("2025-07-03T09:40:00-04:00")
    assert got is not None and got.utcoffset() == timedelta(hours=-4)


def test_to_kst():
    assert to_kst(datetime(2025, 7, 3, 9, 40)) == kst(2025, 7, 3, 9, 40)
    converted = to_kst(datetime(2025, 7, 3, 0, 40, tzinfo=UTC))
    assert converted.tzinfo is KST
    assert converted.replace(tzinfo=None) == datetime(2025, 7, 3, 9, 40)


# -- feedparser entries ----------------------------------------------------------------------

def _feed(pub_date: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>https://example.com/</link>
<description>d</description>
<item><title>기사</title><link>https://example.com/1</link><pubDate>{pub_date}</pubDate></item>
</channel></rss>""".encode()


@pytest.mark.parametrize(
    "pub_date, expected",
    [
        ("Thu, 03 Jul 2025 08:00:00 +0900", kst(2025, 7, 3, 8, 0)),
        # feedparser would read these as UTC (9 h off) or not at all
        ("2025-07-03 09:40:00", kst(2025, 7, 3, 9, 40)),
        ("목, 03 7월 2025 08:00:00 +0900", kst(2025, 7, 3, 8, 0)),
    ],
)
def test_feed_entry_datetime_uses_raw_string(pub_date, expected):
    entry = feedparser.parse(_feed(pub_date)).entries[0]
    got = feed_entry_datetime(entry)
    assert got == expected
    assert got.tzinfo is KST


def test_feedparser_zone_less_pitfall_is_avoided():
    entry = feedparser.parse(_feed("2025-07-03 09:40:00")).entries[0]
    naive_utc = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert feed_entry_datetime(entry) == naive_utc - timedelta(hours=9)


def test_feed_entry_datetime_falls_back_to_parsed_struct():
    parsed = time.struct_time((2025, 7, 2, 23, 0, 0, 2, 183, 0))
    assert feed_entry_datetime({"published_parsed": parsed}) == kst(2025, 7, 3, 8, 0)
    assert feed_entry_datetime({"updated": "", "updated_parsed": parsed}) == kst(2025, 7, 3, 8)


def test_feed_entry_datetime_prefers_published_then_updated():
    entry = {"published": "2025-07-03 09:00", "updated": "2025-07-04 09:00"}
    assert feed_entry_datetime(entry) == kst(2025, 7, 3, 9, 0)
    assert feed_entry_datetime({"updated": "2025-07-04 09:00"}) == kst(2025, 7, 4, 9, 0)


def test_feed_entry_datetime_nothing():
    assert feed_entry_datetime({}) is None
    assert feed_entry_datetime({"published": "언젠가"}) is None
    assert feed_entry_datetime({"published_parsed": None}) is None


# -- properties ------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parse_datetime_never_raises_and_is_aware(text):
    got = parse_datetime(text)
    if got is not None:
        assert got.tzinfo is not None and got.utcoffset() is not None


_DATE_ALPHABET = st.sampled_from(list("0123456789 -./:T+Z년월일시분초오전후입력수정목()") + ["KST"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_DATE_ALPHABET, max_size=40).map("".join))
def test_parse_datetime_date_like_noise_never_raises(text):
    got = parse_datetime(text)
    if got is not None:
        assert got.tzinfo is not None and got.utcoffset() is not None


# Korea last observed DST in 1988; from 1990 every KST wall time is unambiguous.
_kst_datetimes = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31, 23, 59, 59)
).map(lambda dt: dt.replace(tzinfo=KST))


def _ampm(dt: datetime) -> str:
    half = "오전" if dt.hour < 12 else "오후"
    return f"{half} {dt.hour % 12 or 12}"


_FORMATS = {
    "iso": (lambda dt: dt.isoformat(), "us"),
    "iso-naive": (lambda dt: dt.replace(tzinfo=None).isoformat(), "us"),
    "rfc822": (lambda dt: format_datetime(dt), "s"),
    "dash": (lambda dt: dt.strftime("%Y-%m-%d %H:%M:%S"), "s"),
    "dot": (lambda dt: dt.strftime("%Y.%m.%d %H:%M"), "m"),
    "slash-ampm": (lambda dt: f"{dt:%Y/%m/%d} {_ampm(dt)}:{dt:%M}", "m"),
    "korean": (lambda dt: f"{dt.year}년 {dt.month}월 {dt.day}일 {_ampm(dt)}시 {dt.minute}분", "m"),
    "korean-24h": (lambda dt: f"{dt.year}년 {dt.month}월 {dt.day}일 {dt:%H:%M}", "m"),
    "edited": (lambda dt: f"입력 {dt:%Y.%m.%d %H:%M} 수정 2100.01.01 00:00", "m"),
    "localised-rfc822": (
        lambda dt: f"{'월화수목금토일'[dt.weekday()]}, {dt:%d} {dt.month}월 {dt:%Y %H:%M:%S} +0900",
        "s",
    ),
}


def _truncate(dt: datetime, precision: str) -> datetime:
    if precision == "s":
        return dt.replace(microsecond=0)
    if precision == "m":
        return dt.replace(second=0, microsecond=0)
    return dt


@pytest.mark.parametrize("name", sorted(_FORMATS))
@settings(max_examples=100, deadline=None)
@given(dt=_kst_datetimes)
def test_round_trip_of_formatted_kst_datetimes(name, dt):
    fmt, precision = _FORMATS[name]
    got = parse_datetime(fmt(dt))
    assert got is not None, fmt(dt)
    assert got.tzinfo is not None
    expected = _truncate(dt, precision)
    assert got == expected
    assert to_kst(got).replace(tzinfo=None) == expected.replace(tzinfo=None)
