"""Story → Post: pick salient, non-redundant source sentences and lay them out as a post.

Every output sentence is a source sentence restyled to 합쇼체; headings and highlights are noun
phrases copied from those sentences. Nothing is invented, so nothing needs to be checked later.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sokbo.errors import DraftError
from sokbo.korean.clean import hangul_ratio
from sokbo.korean.headline import compress_headline, make_heading, noun_phrases
from sokbo.korean.kiwi import tokenize, tokenize_many
from sokbo.korean.style import ends_inside_quote, speech_level, to_polite_many
from sokbo.models import (
    Article,
    Card,
    Post,
    PostSentence,
    Section,
    Sentence,
    SourceRef,
    Story,
)

KST = ZoneInfo("Asia/Seoul")
CONTENT_TAGS = {"NNG", "NNP", "SN", "SL", "SH", "XR", "VV", "VA", "NR"}
NOUN_TAGS = {"NNG", "NNP", "SL", "SH"}
MIN_CHARS, MAX_CHARS = 20, 300
NEAR_DUPLICATE = 0.40
# centrality, lead position, headline overlap: chosen on summ/dev (see `sokbo bench quality`)
SALIENCE_WEIGHTS = (1.0, 0.5, 0.3)
SHORT_SENTENCE_TERMS = 8
# the same fact from two outlets shares its figures: "96억 달러", "18.2%"
FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|퍼센트|억|만|천|조|원|달러|명|개|건|km|㎞|배|위|차례|시간)?")
# sentences opening with a back-reference read badly out of context
BACK_REFERENCE = re.compile(
    r"^(이에|이는|이와|그는|그러나|하지만|또한|또|이어|이날|한편|그러면서)\b"
)


@dataclass(frozen=True, slots=True)
class WriterOptions:
    title_max_chars: int = 30
    excerpt_sentences: int = 4
    categories: tuple[str, ...] = ("News",)
    image: str = ""
    image_alt: str = ""
    max_sentences: int = 16


@dataclass(slots=True)
class Scored:
    sentence: Sentence
    article_rank: int
    terms: list[str]
    score: float = 0.0


def content_terms(texts: Sequence[str]) -> list[list[str]]:
    """Content morphemes of each text, one Kiwi pass for all."""
    return [
        [t.form.lower() for t in toks if t.tag in CONTENT_TAGS]
        for toks in tokenize_many(list(texts))
    ]


def candidate_sentences(story: Story) -> list[Scored]:
    """Full declarative sentences of every article, in story order."""
    out: list[Scored] = []
    titles = {re.sub(r"\s+", " ", a.title) for a in story.articles}
    for rank, article in enumerate(story.articles):
        for s in article.sentences:
            t = s.text
            if not MIN_CHARS <= len(t) <= MAX_CHARS or hangul_ratio(t) < 0.5:
                continue
            if re.sub(r"\s+", " ", t) in titles:
                continue
            if ends_inside_quote(t):
                continue  # part of a quote spanning sentences: out of context on its own
            out.append(Scored(s, rank, []))
    tokenize_many([c.sentence.text for c in out])  # one Kiwi pass; the rest hits the cache
    levels = [speech_level(c.sentence.text) for c in out]
    return [c for c, lv in zip(out, levels, strict=True) if lv in ("plain", "polite")]


def salience(
    terms: list[list[str]],
    positions: Sequence[int],
    *,
    title_terms: list[str] | None = None,
    penalties: Sequence[float] | None = None,
    weights: tuple[float, float, float] = (0.5, 0.5, 0.0),
):  # -> (scores, similarity matrix)
    """Salience of each sentence: TextRank centrality, lead position, overlap with the headline.

    ``weights`` mixes the three signals; each is scaled to [0, 1] first.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(terms)
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)
    docs = [t or ["∅"] for t in terms]
    if title_terms:
        docs = docs + [title_terms]
    x = vec.fit_transform(docs)
    full = (x @ x.T).toarray()
    sim = full[:n, :n].copy()
    np.fill_diagonal(sim, 0.0)
    rows = sim.sum(axis=1, keepdims=True)
    trans = np.divide(sim, rows, out=np.full_like(sim, 1.0 / max(n, 1)), where=rows > 0)
    pr = np.full(n, 1.0 / n)
    for _ in range(50):
        pr = 0.15 / n + 0.85 * trans.T @ pr
    pr = pr / pr.max()
    position = np.array([1.0 / math.sqrt(1 + p) for p in positions])
    title_sim = full[:n, n] if title_terms else np.zeros(n)
    if title_sim.max() > 0:
        title_sim = title_sim / title_sim.max()
    w_pr, w_pos, w_title = weights
    scores = w_pr * pr + w_pos * position + w_title * title_sim
    # subheads and fragments ("반으로 접을 수도 있다") carry less than full sentences
    scores = scores * np.array([min(1.0, len(t) / SHORT_SENTENCE_TERMS) for t in terms])
    if penalties is not None:
        scores = scores * np.asarray(penalties)
    return scores, sim


def score_sentences(cands: list[Scored], title: str | None = None):  # -> similarity matrix
    """Set each candidate's salience; return the candidates' similarity matrix."""
    texts = [c.sentence.text for c in cands]
    all_terms = content_terms(texts + ([title] if title else []))
    for c, terms in zip(cands, all_terms, strict=False):
        c.terms = terms
    scores, sim = salience(
        [c.terms for c in cands],
        [c.sentence.index for c in cands],
        title_terms=all_terms[-1] if title else None,
        penalties=[0.6 if BACK_REFERENCE.match(t) else 1.0 for t in texts],
        weights=SALIENCE_WEIGHTS,
    )
    for c, score in zip(cands, scores, strict=True):
        c.score = float(score)
    return sim


def select_sentences(cands: list[Scored], sim, limit: int) -> list[int]:
    """Indices by descending salience, skipping near-duplicates of anything already chosen."""
    order = sorted(range(len(cands)), key=lambda i: (-cands[i].score, i))
    chosen: list[int] = []
    seen_texts: set[str] = set()
    figures = [figures_of(c.sentence.text) for c in cands]
    for i in order:
        key = re.sub(r"\s+", "", cands[i].sentence.text)
        if key in seen_texts or any(
            is_same_claim(sim[i, j], figures[i], figures[j]) for j in chosen
        ):
            continue
        seen_texts.add(key)
        chosen.append(i)
        if len(chosen) >= limit:
            break
    return chosen


def figures_of(text: str) -> set[str]:
    """Numbers with their unit, spaces and thousands separators removed."""
    return {re.sub(r"[\s,]", "", m) for m in FIGURE.findall(text) if re.search(r"\d", m)}


def is_same_claim(similarity: float, figures_a: set[str], figures_b: set[str]) -> bool:
    """Near-duplicate sentences: very similar words, or shared figures and similar words."""
    shared = len(figures_a & figures_b)
    return (
        similarity >= NEAR_DUPLICATE
        or (shared >= 2)
        or (shared >= 1 and similarity >= 0.2)
    )


def choose_headline(story: Story, max_chars: int) -> str:
    """Compress the headline that shares most words with the other outlets' headlines."""
    heads = [a.title for a in story.articles]
    words = [set(h.split()) for h in heads]
    best = max(
        range(len(heads)),
        key=lambda i: (sum(len(words[i] & words[j]) for j in range(len(heads)) if j != i), -i),
    )
    return compress_headline(heads[best], max_chars) or compress_headline(heads[0], max_chars)


def word_weights(cands: list[Scored]) -> dict[str, float]:
    """How central a word is to the story: sentences mentioning it, weighted by salience."""
    weights: Counter[str] = Counter()
    for c in cands:
        for phrase in set(c.terms):
            weights[phrase] += c.score
    return dict(weights)


def _highlight(text: str, weights: dict[str, float]) -> str:
    best, best_score = "", 0.0
    for p in noun_phrases(text):
        score = sum(weights.get(w.lower(), 0.0) for w in re.findall(r"[\w%]+", p))
        if score > best_score and p in text:
            best, best_score = p, score
    return best


def write_post(story: Story, options: WriterOptions, *, slug: str | None = None,
               tags: Sequence[str] = ()) -> Post:
    """Write the post for a story; raises DraftError when the story has too little text."""
    cands = candidate_sentences(story)
    # excerpt (also the cards), two key sentences, two sections of two; a short story gets
    # the shortest excerpt the format allows rather than no post
    needed = 3 + 2 + 4
    if len(cands) < needed:
        raise DraftError(
            f"story too short for a post: {len(cands)} usable sentences, need {needed}",
            source=story.articles[0].url or story.id,
        )
    title = choose_headline(story, options.title_max_chars)
    sim = score_sentences(cands, story.articles[0].title)
    chosen = select_sentences(cands, sim, options.max_sentences)
    if len(chosen) < needed:
        raise DraftError(
            f"story too short for a post: {len(chosen)} distinct sentences, need {needed}",
            source=story.articles[0].url or story.id,
        )
    k = min(options.excerpt_sentences, len(chosen) - 6)
    weights = word_weights(cands)

    def ps(i: int, role: str) -> PostSentence:
        s = cands[i].sentence
        return PostSentence(text=polite[i], source_id=s.source_id, index=s.index, role=role)

    def story_order(idx: list[int]) -> list[int]:
        return sorted(idx, key=lambda i: (cands[i].article_rank, cands[i].sentence.index))

    key_idx = choose_key_sentences(cands, chosen, k, sim)
    ranked = [i for i in chosen if i not in key_idx]
    excerpt_idx = story_order(ranked[:k])
    used = chosen + [i for i in key_idx if i not in chosen]
    polite = dict(zip(used, to_polite_many([cands[i].sentence.text for i in used]), strict=True))
    rest = story_order(ranked[k:])

    split = (len(excerpt_idx) + 1) // 2
    card_groups = [excerpt_idx[:split], excerpt_idx[split:]]
    cards = []
    used_heading_words: set[str] = set()
    for group, key in zip(card_groups, key_idx, strict=True):
        texts = [polite[i] for i in group]
        subtitle = _heading(texts, weights, used_heading_words)
        cards.append(
            Card(
                subtitle=subtitle,
                sentences=tuple(ps(i, "card") for i in group),
                highlight=_highlight(" ".join(texts), weights),
                key_sentence=ps(key, "key"),
            )
        )

    n_sections = 3 if len(rest) >= 9 else 2
    per = math.ceil(len(rest) / n_sections)
    sections = []
    for s_i in range(n_sections):
        part = rest[s_i * per : (s_i + 1) * per]
        if len(part) < 2:
            break
        paragraphs = _paragraphs(part)
        heading = _heading([polite[i] for i in part], weights, used_heading_words)
        sections.append(
            Section(
                heading=heading,
                paragraphs=tuple(tuple(ps(i, "section") for i in p) for p in paragraphs),
            )
        )
    first = story.first_published
    date = (first.astimezone(KST) if first else datetime.now(KST)).replace(microsecond=0)
    return Post(
        story_id=story.id,
        title=title,
        slug=slug or make_slug(title, story.id),
        date=date,
        excerpt=tuple(ps(i, "excerpt") for i in excerpt_idx),
        cards=tuple(cards),
        sections=tuple(sections),
        sources=tuple(source_ref(a) for a in story.articles),
        tags=tuple(tags),
        categories=options.categories,
        image=options.image,
        image_alt=options.image_alt,
    )


def choose_key_sentences(cands: list[Scored], chosen: list[int], k: int, sim) -> list[int]:
    """Two key sentences for the cards, each of whose names and figures the rest of the post
    also mentions (so a card never claims what the post leaves unsaid, lint SB501).

    Tries the chosen sentences after the excerpt's first, then other non-redundant candidates
    by salience, then the excerpt's; falls back to the next-ranked chosen sentences when too
    few qualify.
    """
    from sokbo.lint.nlp import contains_mention, mentions, normalise

    figures = {i: figures_of(c.sentence.text) for i, c in enumerate(cands)}
    extra = [
        i for i in sorted(range(len(cands)), key=lambda i: -cands[i].score)
        if i not in chosen
        and not any(is_same_claim(sim[i, j], figures[i], figures[j]) for j in chosen)
    ]
    # an excerpt sentence may become a key sentence as a last resort; the excerpt is refilled
    pool = chosen[k:] + extra + chosen[:k]
    found = {
        i: [m for m in mentions(tokenize(cands[i].sentence.text))
            if not m.abbreviation and (m.kind == "name" or m.has_unit)]
        for i in pool
    }

    def covered(i: int, keys: list[int]) -> bool:
        rest = normalise(" ".join(cands[j].sentence.text for j in chosen
                                  if j != i and j not in keys))
        return all(contains_mention(rest, m) for m in found[i])

    keys: list[int] = []
    for i in pool:
        trial = keys + [i]
        if i in extra and keys and is_same_claim(sim[i, keys[0]], figures[i], figures[keys[0]]):
            continue
        if all(covered(j, trial) for j in trial):
            keys = trial
            if len(keys) == 2:
                return keys
    for i in chosen[k:]:
        if len(keys) == 2:
            break
        if i not in keys:
            keys.append(i)
    return keys


def _paragraphs(part: list[int]) -> list[list[int]]:
    """Two or three paragraphs of one or two sentences each."""
    if len(part) <= 3:
        return [part[:1], part[1:]] if len(part) > 1 else [part]
    n_para = 3 if len(part) >= 5 else 2
    size = math.ceil(len(part) / n_para)
    return [part[i : i + size] for i in range(0, len(part), size)]


def _heading(texts: list[str], weights: dict[str, float], used: set[str]) -> str:
    # words already used by an earlier heading count less, so headings differ
    adjusted = {w: (v * 0.3 if w in used else v) for w, v in weights.items()}
    heading = make_heading(texts, adjusted)
    used.update(w.lower() for w in re.findall(r"[\w%]+", heading))
    return heading


def source_ref(a: Article) -> SourceRef:
    return SourceRef(article_id=a.id, outlet=a.outlet, title=a.title, url=a.url,
                     published=a.published)


SLUG_UNSAFE = re.compile(r"[^0-9A-Za-z가-힣]+")


def make_slug(title: str, story_id: str, max_bytes: int = 80) -> str:
    """File-system-safe slug: Hangul, ASCII letters and digits joined by '-', ≤ max_bytes."""
    words = [w for w in SLUG_UNSAFE.split(title) if w]
    slug = ""
    for w in words:
        cand = f"{slug}-{w}" if slug else w
        if len(cand.encode("utf-8")) > max_bytes:
            break
        slug = cand
    return slug or story_id
