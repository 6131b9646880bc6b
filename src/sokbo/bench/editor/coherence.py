"""Dangling references: a post sentence that leans on the sentence before it in its source
("그러나 …", "이를 …", "이날 …") but follows something else in the post.

Which openings lean is decided by the kinds of cohesion a sentence can open with (Halliday &
Hasan's reference and conjunction, plus deictic time words that news copy anchors on the
dateline): a conjunction or connective adverb, a demonstrative pronoun or determiner, a pro-verb
connective (그러면서, 그러자), or a deictic time/anaphoric noun (이날, 당시, 두 사람).
"이번" (this time = the story's event) reads fine anywhere and is left out on purpose.
"""
from __future__ import annotations

import re
from typing import Any

from sokbo.bench.editor.morph import PUNCT_TAGS, analyse
from sokbo.bench.editor.view import PostView, Unit

# 접속부사 that Kiwi tags MAG (those it tags MAJ are caught by the tag), plus 앞서 (news copy's
# "earlier, …", which places its sentence before the one it follows). Focusing adverbs such
# as 특히, 역시, 결국 qualify their own sentence and are left out.
CONNECTIVE_ADVERBS = {"또", "또한", "한편", "이어", "이어서", "아울러", "게다가", "더욱이",
                      "더구나", "다만", "즉", "오히려", "앞서", "더불어", "그러니까", "그래도",
                      "그러므로", "그런데도"}
DEMONSTRATIVE_PRONOUNS = {"이", "그", "이것", "그것", "이곳", "그곳", "여기", "거기", "그녀",
                          "이분", "그분", "이쪽", "그쪽", "이들", "그들"}
DEMONSTRATIVE_DETERMINERS = {"이", "그", "저", "이런", "그런", "저런", "이러한", "그러한"}
PRO_VERBS = {"그러", "그렇", "이러", "이렇", "이러하", "그러하"}
# deictic time words and anaphoric nouns, matched on the opening words' surface
DEICTIC = re.compile(r"^(?:이날|당일|당시|그날|그때|이때|전날|다음\s?날|이튿날|같은\s날|이후|"
                     r"그\s?후|그\s?뒤|반면|대신|해당|양측|두\s사람|세\s사람|이\s밖에|이밖에)(?![가-힣])"
                     r"|^(?:이날|당시|전날|이튿날|당일|반면)(?:에|에는|에도|엔|은|도)?(?=\s)")


def leaning_kind(sentence: str) -> str | None:
    """Why ``sentence`` leans on its predecessor (conjunction | connective | reference |
    deictic), or None when it stands on its own."""
    text = sentence.lstrip("\"'“‘「『([ ")
    if DEICTIC.match(text):
        return "deictic"
    toks = [t for t in analyse(text) if t.tag not in PUNCT_TAGS]
    if not toks:
        return None
    first = toks[0]
    if first.start != 0:
        return None
    if first.tag == "MAJ":
        return "conjunction"
    if first.tag == "MAG" and first.form in CONNECTIVE_ADVERBS:
        return "connective"
    if first.tag.startswith("VV") or first.tag.startswith("VA"):
        if first.form in PRO_VERBS and len(toks) > 1 and toks[1].tag in ("EC", "ETM", "ETN"):
            return "connective"
    if first.tag == "NP" and first.form in DEMONSTRATIVE_PRONOUNS:
        return "reference"
    if first.tag == "MM" and first.form in DEMONSTRATIVE_DETERMINERS:
        return "reference"
    return None


def dangling(view: PostView) -> tuple[int, int, list[dict[str, Any]]]:
    """(dangling, leaning, offenders) over the post's reading flows (excerpt, body).

    A leaning sentence is fine right after its source predecessor (same source, index − 1),
    or when it opens its source and also opens its flow. One without provenance cannot be
    checked and is reported as such.
    """
    bad: list[dict[str, Any]] = []
    leaning = 0
    for flow in ("excerpt", "body"):
        units = view.flow(flow)
        for i, u in enumerate(units):
            kind = leaning_kind(u.text)
            if kind is None:
                continue
            leaning += 1
            prev: Unit | None = units[i - 1] if i else None
            why = _why_dangling(u, prev, view)
            if why:
                bad.append({"post": view.name, "where": u.where, "kind": kind, "why": why,
                            "sentence": u.text, "after": prev.text if prev else None,
                            "source_predecessor": _source_text(view, u, -1)})
    return len(bad), leaning, bad


def _why_dangling(u: Unit, prev: Unit | None, view: PostView) -> str | None:
    if u.source_id is None or u.index is None:
        return "no provenance"
    if u.index == 0:
        return None if prev is None else "opens its source but follows another sentence"
    if prev is None:
        return "opens the " + u.flow + " without its antecedent"
    if prev.source_id == u.source_id and prev.index == u.index - 1:
        return None
    want = _source_text(view, u, -1)
    if want is not None and _source_text(view, prev, 0) == want:
        return None  # the same sentence from another copy of the article (syndication)
    if prev.source_id != u.source_id:
        return "follows a sentence of another source"
    return "follows a sentence that is not its source predecessor"


def _source_text(view: PostView, u: Unit, offset: int) -> str | None:
    if u.source_id is None or u.index is None:
        return None
    src = view.sources.get(u.source_id)
    return src.sentences.get(u.index + offset) if src else None
