"""Editorial safety: a post about a suicide follows 자살보도 권고기준 3.0.

The story's sentences that give a method or a place, or that glorify, are left out (the
detector lives in ``sokbo.korean``), and the post ends with the help line as a fixed notice of
sokbo's own (provenance source ``sokbo``, template ``notice-suicide``), never a source's words.
"""
from __future__ import annotations

from sokbo.models import SOKBO_SOURCE, PostSentence
from sokbo.notices import NOTICES, SUICIDE_NOTICE

__all__ = ["NOTICES", "SUICIDE_NOTICE", "notice"]


def notice(template: str) -> PostSentence:
    """A fixed notice as a post sentence, with sokbo itself as its source."""
    return PostSentence(text=NOTICES[template], source_id=SOKBO_SOURCE, index=-1, role="notice",
                        template=template)
