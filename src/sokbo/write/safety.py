"""Editorial safety: a post about a suicide follows 자살보도 권고기준 3.0.

The story's sentences that give a method or a place, or that glorify, are left out (the
detector lives in ``sokbo.korean``), and the post ends with the help line as a fixed notice of
sokbo's own (provenance source ``sokbo``, template ``notice-suicide``), never a source's words.
"""
from __future__ import annotations

from sokbo.models import SOKBO_SOURCE, PostSentence

__all__ = ["NOTICES", "SUICIDE_NOTICE", "notice"]

# 자살예방상담전화 109 (보건복지부, 2024년 1월부터 하나로 통합된 번호)
SUICIDE_NOTICE = (
    "우울감 등 말하기 어려운 고민이 있거나 주변에 이런 어려움을 겪는 가족·지인이 있을 경우 "
    "자살예방상담전화 ☎109에서 24시간 전문가의 상담을 받을 수 있습니다."
)
NOTICES = {"notice-suicide": SUICIDE_NOTICE}


def notice(template: str) -> PostSentence:
    """A fixed notice as a post sentence, with sokbo itself as its source."""
    return PostSentence(text=NOTICES[template], source_id=SOKBO_SOURCE, index=-1, role="notice",
                        template=template)
