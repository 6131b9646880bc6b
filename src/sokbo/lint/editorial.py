"""SB110 suicide-reporting: a post about a suicide follows 자살보도 권고기준 3.0.

No method or tools, no place where the person was found, no motive or note, no glorifying or
linking line, and the help line (자살예방상담전화 109) at the end. Whether a post is about a
suicide is read from the post itself (its headline, its lead, two mentions, a help-line note)
and, with ``--sources``, from the sources too (``sokbo.korean.suicide``).
"""
from __future__ import annotations

from collections.abc import Iterator

from sokbo.lint.context import Context, line_location
from sokbo.lint.rules import Hit, rule

REASONS = {
    "method": ("방법이나 도구", "the method or the tools"),
    "place": ("발견 장소", "the place where the person was found"),
    "motive": ("동기 추정", "a guessed motive"),
    "note": ("유서 내용", "what a note said"),
    "glorify": ("미화하거나 다른 죽음과 잇는 문장", "a line that glorifies it or links it to other "
                                         "deaths"),
    "helpline": ("109가 아닌 옛 상담전화", "a help line other than 109"),
}
LEAD = 3  # prose sentences read as the lead


def _about_suicide(ctx: Context) -> bool:
    from sokbo.korean.suicide import HELPLINE, assess_suicide, suicide_event

    if "suicide" in ctx.memo:
        return bool(ctx.memo["suicide"])
    sentences = [s for s in ctx.post.sentences if s.role != "notice"]
    prose = [s for s in sentences if s.role not in ("title", "heading", "card-subtitle")]
    # somebody's suicide, or the post's own help-line note; not suicide as an issue (자살률)
    said = [s for s in sentences if suicide_event(s.text) or HELPLINE.search(s.text)]
    about = (any(s.role == "title" for s in said) or len(said) >= 2
             or any(s in said for s in prose[:LEAD]))
    if not about and ctx.sources:
        about = bool(assess_suicide(ctx.sources))
    ctx.memo["suicide"] = about
    return about


def _help_line(text: str) -> bool:
    return "109" in text and ("자살예방" in text or "☎" in text)


@rule(
    "SB110",
    "suicide-reporting",
    "error",
    "a post about a suicide gives the method, the place, a motive, a note or a glorifying line, "
    "or lacks the help line (자살예방상담전화 109)",
)
def check_suicide_reporting(ctx: Context) -> Iterator[Hit]:
    from sokbo.korean.suicide import unsafe_detail

    if not _about_suicide(ctx):
        return
    sentences = ctx.post.sentences
    for s in sentences:
        if s.role == "notice":
            continue
        reason = unsafe_detail(s.text)
        if reason is None or (reason == "helpline" and _help_line(s.text)):
            continue
        ko, en = REASONS[reason]
        yield Hit(
            s.location,
            s.text,
            f"자살 보도에 {ko}이(가) 들어 있습니다 (자살보도 권고기준 3.0)",
            f"a report on a suicide gives {en} (Korean suicide-reporting guideline 3.0)",
        )
    if not any(_help_line(s.text) for s in sentences):
        last = ctx.blocks[-1].line if ctx.blocks else ctx.post.body_line
        yield Hit(
            line_location(last),
            "",
            "자살 보도 끝에 자살예방상담전화 109 안내가 없습니다",
            "a report on a suicide does not end with the help line (자살예방상담전화 109)",
        )
