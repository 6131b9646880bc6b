"""sokbo's own posts are linted with the writer's sentences (``pipeline.lint_post`` passes
``writer_split(post)``): its paragraphs are not split by Kiwi again. The findings are those a
split by Kiwi gives (the demo posts), and a post sokbo did not write is read as before."""
from __future__ import annotations

import dataclasses

from sokbo.lint import lint_text, writer_split
from sokbo.lint.context import Context
from sokbo.lint.parse import parse_post
from sokbo.render import render_post

POST = """---
title: 정부 새 정책 발표
excerpt: >
  정부는 어제 새 정책을 발표했습니다. 시행은 다음 달부터입니다.
---
<p>정부는 어제 새 정책을 발표했습니다. 시행은 다음 달부터입니다.</p>

<p>업계는 환영했습니다. 다만 세부 내용은 아직 없습니다.</p>
"""


def _texts(known=None) -> list[tuple[str, str]]:
    ctx = Context(parse_post(POST), known=known)
    return [(s.role, s.text) for s in ctx.post.sentences if s.role in ("excerpt", "section")]


def test_a_known_paragraph_keeps_its_sentences_the_others_are_split() -> None:
    kiwi = _texts()
    assert kiwi == [("excerpt", "정부는 어제 새 정책을 발표했습니다."),
                    ("excerpt", "시행은 다음 달부터입니다."),
                    ("section", "정부는 어제 새 정책을 발표했습니다."),
                    ("section", "시행은 다음 달부터입니다."),
                    ("section", "업계는 환영했습니다."),
                    ("section", "다만 세부 내용은 아직 없습니다.")]
    # a split no Kiwi run gives, to see whose split is read
    known = {"정부는 어제 새 정책을 발표했습니다. 시행은 다음 달부터입니다.":
             ("정부는 어제 새 정책을", "발표했습니다. 시행은 다음 달부터입니다.")}
    assert _texts(known) == [("excerpt", "정부는 어제 새 정책을"),
                             ("excerpt", "발표했습니다. 시행은 다음 달부터입니다."),
                             ("section", "정부는 어제 새 정책을"),
                             ("section", "발표했습니다. 시행은 다음 달부터입니다."),
                             *kiwi[4:]]


def test_line_numbers_of_known_sentences_are_those_kiwi_gives() -> None:
    known = {"업계는 환영했습니다. 다만 세부 내용은 아직 없습니다.":
             ("업계는 환영했습니다.", "다만 세부 내용은 아직 없습니다.")}
    kiwi = Context(parse_post(POST)).post.sentences
    mine = Context(parse_post(POST), known=known).post.sentences
    assert kiwi == mine


def test_writer_split_holds_every_paragraph_of_the_post(demo_run) -> None:
    _, report = demo_run
    post = report.posts[0].post
    known = writer_split(post)
    assert known[post.excerpt_text] == tuple(s.text for s in post.excerpt)
    for card in post.cards:
        assert known[" ".join(s.text for s in card.sentences)] == tuple(
            s.text for s in card.sentences)
        assert known[card.key_sentence.text] == (card.key_sentence.text,)
    for section in post.sections:
        for para in section.paragraphs:
            assert known[" ".join(s.text for s in para)] == tuple(s.text for s in para)
    # one text split two ways by the writer is no known split
    first = post.excerpt[0]
    twice = dataclasses.replace(first, text=f"{first.text} {first.text}")
    other = dataclasses.replace(post, excerpt=(first, first), sections=(dataclasses.replace(
        post.sections[0], paragraphs=((twice,),)),))
    assert twice.text not in writer_split(other)


def test_the_pipelines_findings_are_those_of_a_kiwi_split(demo_run) -> None:
    settings, report = demo_run
    assert report.posts
    for result in report.posts:
        post = result.post
        used = {s.article_id for s in post.sources}
        sources = [a for a in result.articles if a.id in used] or result.articles
        text = render_post(post, "jekyll")[1] if settings.format != "jekyll" else \
            result.path.read_text("utf-8")
        again = [f.to_dict() for f in lint_text(text, sources=sources).findings]
        assert again == result.findings, result.title
