"""SB604 (with sources): a figure the sources disagree on, stated as if only one of them said it.

When one outlet reports 피해액 3억 원 and another 5억 원, a faithful post attributes both
("피해액은 한빛일보가 3억 원, 미래신문이 5억 원으로 전했습니다") or leaves the figure out.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sokbo.conflicts import find_conflicts, mentions_figure
from sokbo.lint.context import Context, article_sentences
from sokbo.lint.rules import Hit, rule


@rule(
    "SB604",
    "one-sided-figure",
    "warning",
    "a figure the sources disagree on, stated without the other sources' figure",
    needs_sources=True,
)
def check_disputed_figures(ctx: Context) -> Iterator[Hit]:
    if "conflicts" not in ctx.memo:
        split = [a if a.sentences else replace(a, sentences=tuple(article_sentences(a)))
                 for a in ctx.sources]
        ctx.memo["conflicts"] = find_conflicts(split)
    conflicts = ctx.memo["conflicts"]
    sentences = [s for s in ctx.post.sentences if s.role not in ("title", "heading",
                                                                   "card-subtitle")]
    for c in conflicts:
        sides = [(article, fig) for article, fig in c.sides]
        for s in sentences:
            if c.key not in s.text:
                continue
            said = [fig for _, fig in sides if mentions_figure(s.text, fig)]
            if len(said) != 1:
                continue  # none, or every side (attributed)
            others = ", ".join(f"{a.outlet} {fig.value}" for a, fig in sides if fig is not said[0])
            yield Hit(
                s.location,
                s.text,
                f"출처마다 {c.key} 수치가 다릅니다({said[0].value} / {others}): 한쪽만 쓰지 말고 "
                f"모두 밝히거나 빼야 합니다",
                f"the sources disagree on {c.key} ({said[0].value} vs {others}): attribute "
                f"every figure or leave it out",
            )
