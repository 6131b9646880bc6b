"""Fixed notices sokbo appends to a post: its own words, not a source's (provenance ``sokbo``).

Shared by the writer, which adds them, and the linter, which knows them for what they are.
"""
from __future__ import annotations

__all__ = ["NOTICES", "SUICIDE_NOTICE", "is_notice"]

# 자살보도 권고기준 3.0: the help line, 자살예방상담전화 109 (one number for all since 2024)
SUICIDE_NOTICE = (
    "우울감 등 말하기 어려운 고민이 있거나 주변에 이런 어려움을 겪는 가족·지인이 있을 경우 "
    "자살예방상담전화 ☎109에서 24시간 전문가의 상담을 받을 수 있습니다."
)
NOTICES = {"notice-suicide": SUICIDE_NOTICE}


def is_notice(text: str) -> bool:
    """Whether a paragraph is one of sokbo's fixed notices."""
    return " ".join(text.split()) in NOTICES.values()
