"""sokbo's fixed notices (the suicide-prevention help line): rendered in every format, kept
apart from the story by the linter, and traced to sokbo itself in the provenance."""
from __future__ import annotations

from dataclasses import replace

import pytest
from test_shapes import _post

from sokbo.lint import lint_text
from sokbo.models import SOKBO_SOURCE, post_from_dict, post_to_dict
from sokbo.notices import SUICIDE_NOTICE, is_notice
from sokbo.render import render_post
from sokbo.write.provenance import check_sentence
from sokbo.write.safety import notice


def _with_notice():
    return replace(_post(2, [2, 2]), notices=(notice("notice-suicide"),))


@pytest.mark.parametrize("fmt", ["jekyll", "hugo", "markdown"])
def test_the_notice_is_rendered_after_the_sections(fmt: str) -> None:
    text = render_post(_with_notice(), fmt)[1]
    assert text.count("☎109") == 1
    at = text.index("☎109")
    assert text.index("섹션 제목 2") < at < text.index("출처")


def test_lint_knows_the_notice_for_what_it_is() -> None:
    text = render_post(_with_notice(), "jekyll")[1]
    plain = render_post(_post(2, [2, 2]), "jekyll")[1]
    assert {f.code for f in lint_text(text).findings} == {f.code for f in lint_text(plain).findings}
    assert is_notice(SUICIDE_NOTICE) and not is_notice("자살예방상담전화 1393")


def test_the_notice_is_sokbos_own_in_the_provenance() -> None:
    post = _with_notice()
    (n,) = post.notices
    assert (n.source_id, n.role, n.template) == (SOKBO_SOURCE, "notice", "notice-suicide")
    assert n.origin == SOKBO_SOURCE  # sokbo's words: no source sentence stands behind them
    assert check_sentence(n, {}) and not check_sentence(replace(n, text="다른 문구"), {})
    assert post_from_dict(post_to_dict(post)).notices == post.notices
    assert post.all_sentences()[-1] == n
