"""Editorial safety: a post about a suicide follows 자살보도 권고기준 3.0.

The story's sentences that give a method or a place, or that glorify, are left out (the
detector lives in ``sokbo.korean``), and the post ends with the help line as a fixed notice of
sokbo's own (provenance source ``sokbo``, template ``notice-suicide``), never a source's words.
"""
from __future__ import annotations

from sokbo.models import SOKBO_SOURCE, PostSentence
from sokbo.notices import NOTICES, SUICIDE_NOTICE

__all__ = ["NOTICES", "SUICIDE_NOTICE", "notice", "unsafe_sentences"]


def unsafe_sentences(story) -> tuple[bool, dict[str, str]]:  # (Story) -> (about suicide, ids)
    """Whether the story is about a suicide, and the ids of its sentences the guideline keeps
    out (method, place, motive, note, glorifying or linking lines, the page's own help line),
    each with its reason."""
    from sokbo.korean.suicide import assess_suicide

    found = assess_suicide(story.articles)
    return bool(found), dict(found.leave_out or {})


def notice(template: str) -> PostSentence:
    """A fixed notice as a post sentence, with sokbo itself as its source."""
    return PostSentence(text=NOTICES[template], source_id=SOKBO_SOURCE, index=-1, role="notice",
                        origin=SOKBO_SOURCE, template=template)
