"""Dates for the ingest stages: feed and page timestamps → zone-aware datetimes.

Korean sources rarely state a zone; a zone-less time means Asia/Seoul (KST), never UTC.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["KST", "feed_entry_datetime", "parse_datetime", "to_kst"]

KST = ZoneInfo("Asia/Seoul")

# Anything outside this range in a news source is a misparse (e.g. a phone number).
_MIN_YEAR, _MAX_YEAR = 1900, 2200
_MAX_INPUT = 500  # datelines are short; do not run regexes over whole pages

_ZONE = r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT|KST)"
_AMPM = r"(?P<ampm>오전|오후|[AaPp]\.?[Mm]\.?)"
_AMPM2 = r"(?P<ampm2>오전|오후|[AaPp]\.?[Mm]\.?)"
_DAY_NAME = r"(?:[월화수목금토일](?:요일)?(?![가-힣])|[A-Za-z]{3}(?![A-Za-z]))"
# "(목)" or a bare "목요일"; no trailing \s* or the optional time after it would never match.
_WEEKDAY = rf"(?:\s*(?:\(\s*{_DAY_NAME}\s*\)|{_DAY_NAME}))?"
_CLOCK = (
    r"(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d{2})(?!\d)"
    r"(?:\s*:\s*(?P<second>\d{2})(?!\d)(?:[.,](?P<fraction>\d{1,6})\d*)?)?"
)
_KOREAN_CLOCK = (
    r"(?P<khour>\d{1,2})\s*시(?:\s*(?P<kminute>\d{1,2})\s*분)?(?:\s*(?P<ksecond>\d{1,2})\s*초)?"
)
_TIME = rf"(?:\s*[T\s]\s*{_AMPM}?\s*(?:{_CLOCK}|{_KOREAN_CLOCK})\s*{_AMPM2}?(?:\s*{_ZONE})?)?"

_PATTERNS = [
    # 2025-07-03 09:40:00, 2025.07.03 10:15, 2025/07/03 오전 10:15, 2025. 7. 3.(목) 오후 2:05
    re.compile(
        r"(?<!\d)(?P<year>\d{4})\s*(?P<sep>[-./])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*"
        rf"(?P<day>\d{{1,2}})(?!\d)\.?{_WEEKDAY}{_TIME}"
    ),
    # 2025년 7월 3일 오후 2시 5분, 2025년 7월 3일(목) 14:05
    re.compile(
        r"(?<!\d)(?P<year>\d{4})\s*년\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"
        rf"{_WEEKDAY}{_TIME}"
    ),
    # localised RFC 822 from feeds: 목, 03 7월 2025 08:00:00 +0900
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>\d{1,2})\s*월\s+(?P<year>\d{4})"
        rf"(?:\s+{_CLOCK}(?:\s*{_ZONE})?)?"
    ),
]
_RFC822 = re.compile(
    r"^(?:[A-Za-z]{3,9},?\s*)?\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}\s+\d{1,2}:\d{2}", re.ASCII
)


def parse_datetime(value: str | None, *, default_tz: tzinfo = KST) -> datetime | None:
    """Parse a date string from a feed or page into an aware datetime.

    Zone-less values get ``default_tz``. Date-only values mean midnight. When a string holds
    several dates (``입력 … 수정 …``) the first one, the original publication, wins. The
    result keeps the offset the source stated; use :func:`to_kst` to convert.

    Returns:
        The datetime, or None when ``value`` holds no recognisable date (never raises).
    """
    if not isinstance(value, str):
        return None
    text = " ".join(unicodedata.normalize("NFKC", value[:_MAX_INPUT]).split())
    if not text:
        return None
    for parser in (_parse_iso, _parse_rfc822, _parse_patterns):
        try:
            found = parser(text)
        except (ValueError, OverflowError, TypeError, IndexError):
            found = None
        if found is not None:
            if not _MIN_YEAR <= found.year < _MAX_YEAR:
                return None
            if found.tzinfo is None or found.utcoffset() is None:
                found = found.replace(tzinfo=default_tz)
            return found
    return None


def to_kst(dt: datetime) -> datetime:
    """Convert to KST; a naive datetime is taken to be KST already."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=KST)
    return dt.astimezone(KST)


def feed_entry_datetime(entry: Mapping[str, Any]) -> datetime | None:
    """The publication time of a feedparser entry, in KST.

    feedparser reads a zone-less date as UTC (9 h off for Korean feeds) and gives up on
    localised dates, so the raw ``published``/``updated`` string is parsed first. The
    ``*_parsed`` struct (UTC) is used only when no raw string can be parsed.
    """
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            found = parse_datetime(raw)
            if found is not None:
                return to_kst(found)
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, tuple) and len(parsed) >= 6:
            try:
                return to_kst(datetime(*parsed[:6], tzinfo=timezone.utc))
            except (ValueError, OverflowError, TypeError):
                continue
    return None


# -- parsers ---------------------------------------------------------------------------------

def _parse_iso(text: str) -> datetime | None:
    # fromisoformat also takes bare 8-digit numbers ("20250703"); require a separator or 'T'.
    if not re.match(r"^\d{4}-?\d{2}-?\d{2}(?:[T ]|$)", text) or not re.search(r"[-T]", text):
        return None
    return datetime.fromisoformat(text)


def _parse_rfc822(text: str) -> datetime | None:
    if not _RFC822.match(text):
        return None
    # email.utils knows UT/GMT/EST… but not KST; a zone-less result is handled by the caller.
    found = parsedate_to_datetime(re.sub(r"\bKST\b", "+0900", text))
    if found.tzinfo is None and re.search(r"-0000\b", text):
        found = found.replace(tzinfo=timezone.utc)  # RFC 5322: UTC, local zone unknown
    return found


def _parse_patterns(text: str) -> datetime | None:
    """The earliest (then longest) date found anywhere in ``text``."""
    candidates: list[tuple[int, int, re.Match[str]]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            candidates.append((match.start(), -(match.end() - match.start()), match))
    for _start, _neg_len, match in sorted(candidates, key=lambda c: (c[0], c[1])):
        found = _from_match(match)
        if found is not None:
            return found
    return None


def _from_match(match: re.Match[str]) -> datetime | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    hour = int(groups.get("hour") or groups.get("khour") or 0)
    minute = int(groups.get("minute") or groups.get("kminute") or 0)
    second = int(groups.get("second") or groups.get("ksecond") or 0)
    micro = int((groups.get("fraction") or "0").ljust(6, "0"))
    ampm = groups.get("ampm") or groups.get("ampm2")
    if ampm:
        pm = ampm in ("오후",) or ampm[0] in "Pp"
        if not 1 <= hour <= 12 and not (pm and hour > 12):
            return None
        if pm and hour < 12:
            hour += 12
        elif not pm and hour == 12:
            hour = 0
    try:
        dt = datetime(
            int(groups["year"]), int(groups["month"]), int(groups["day"]),
            hour, minute, second, micro,
        )
    except ValueError:
        return None
    zone = groups.get("zone")
    if not zone:
        return dt
    tz = _zone(zone)
    return dt.replace(tzinfo=tz) if tz is not None else None


def _zone(text: str) -> tzinfo | None:
    if text in ("Z", "UTC", "GMT"):
        return timezone.utc
    if text == "KST":
        return KST
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))

