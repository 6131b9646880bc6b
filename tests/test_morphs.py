"""Sentence analyses kept in the store: analysed once, read back exactly, never analysed again."""
from __future__ import annotations

import shutil

import pytest

from sokbo.korean import kiwi as kiwi_mod
from sokbo.korean.kiwi import (
    analysed_anew,
    clear_token_cache,
    note_derived,
    pack_morphs,
    tokenize_many,
    unpack_morphs,
)
from sokbo.pipeline import write_story
from sokbo.store import Store

SENTENCES = [
    "서울시는 3일 한강 공원 세 곳에 야간 쉼터를 새로 열었다.",
    "쉼터는 오후 6시부터 자정까지 운영되며, 누구나 무료로 이용할 수 있다고 시는 밝혔다.",
    "\"밤에도 쉴 곳이 생겨 반갑다\"고 한 시민이 말했습니다.",
    "AI·IoT 기반 관제 시스템도 갖췄다.",
    "",
]


def test_packed_morphs_read_back_as_kiwi_analysed_them() -> None:
    clear_token_cache()
    fresh = [list(m) for m in tokenize_many(SENTENCES)]
    packed = pack_morphs(SENTENCES)
    clear_token_cache()
    assert unpack_morphs(SENTENCES, packed)
    assert kiwi_mod._TOKEN_CACHE.keys() >= set(SENTENCES)
    assert [list(m) for m in tokenize_many(SENTENCES)] == fresh


def test_texts_made_of_a_sentence_are_kept_with_it_once_analysed() -> None:
    clear_token_cache()
    made = "서울시는 3일 한강 공원 세 곳에 야간 쉼터를 새로 열었습니다."
    never = "서울시는 3일"
    note_derived(SENTENCES[0], [made, never])
    fresh = list(tokenize_many([made])[0])
    packed = pack_morphs(SENTENCES[:2])
    clear_token_cache()
    assert unpack_morphs(SENTENCES[:2], packed)
    assert made in kiwi_mod._TOKEN_CACHE  # analysed: kept
    assert never not in kiwi_mod._TOKEN_CACHE  # never analysed: not analysed to keep it
    assert list(tokenize_many([made])[0]) == fresh


def test_packing_analyses_nothing_new() -> None:
    clear_token_cache()
    tokenize_many(SENTENCES[:1])
    packed = pack_morphs(SENTENCES[:3])
    assert set(kiwi_mod._TOKEN_CACHE) == {SENTENCES[0]}
    clear_token_cache()
    assert unpack_morphs(SENTENCES[:3], packed)
    assert set(kiwi_mod._TOKEN_CACHE) == {SENTENCES[0]}


def test_what_is_analysed_anew_is_kept_again() -> None:
    clear_token_cache()
    tokenize_many(SENTENCES[:2])
    assert analysed_anew(SENTENCES[:2])
    pack_morphs(SENTENCES[:2])
    assert not analysed_anew(SENTENCES[:2])
    tokenize_many(SENTENCES[:2])  # from the cache: nothing new
    assert not analysed_anew(SENTENCES[:2])
    made = SENTENCES[0][:10]
    note_derived(SENTENCES[0], [made])
    tokenize_many([made])  # the writer made a new text of a kept sentence
    assert analysed_anew(SENTENCES[:2])
    packed = pack_morphs(SENTENCES[:2])
    clear_token_cache()
    assert unpack_morphs(SENTENCES[:2], packed) and made in kiwi_mod._TOKEN_CACHE


@pytest.mark.parametrize("bad", ["", "not base64!", pack_morphs(["다른 문장입니다."])])
def test_morphs_of_other_texts_are_not_used(bad: str) -> None:
    clear_token_cache()
    assert not unpack_morphs(SENTENCES[:2], bad)
    assert not kiwi_mod._TOKEN_CACHE


def test_the_cache_keeps_what_is_asked_for_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_token_cache()
    monkeypatch.setattr(kiwi_mod, "TOKEN_CACHE_SIZE", 4)
    tokenize_many(SENTENCES[:3])
    out = tokenize_many(SENTENCES[:4])
    assert len(kiwi_mod._TOKEN_CACHE) <= 4
    assert all(t in kiwi_mod._TOKEN_CACHE for t in SENTENCES[:4])
    assert len(out) == 4


def test_a_rewritten_story_reads_its_sentences_from_the_store(demo_run, monkeypatch,
                                                              tmp_path) -> None:
    shared, report = demo_run
    shutil.copytree(shared.out_dir, tmp_path / "out")  # the session's run stays as it is
    settings = shared.with_overrides(out_dir=tmp_path / "out")
    with Store(settings.state) as store:
        story_id = report.posts[0].story_id
        articles = store.story_articles(story_id)
        assert store.morphs_to_keep(articles) == []  # all kept by the run
        clear_token_cache()
        assert store.load_morphs(articles) == len(articles)
        texts = [s.text for a in articles for s in a.sentences]
        loaded = [list(m) for m in tokenize_many(texts)]
        before = store.get_post(story_id)

        clear_token_cache()
        analysed = _counting(monkeypatch)
        with store.story_lock(story_id):
            result = write_story(store, settings, store_story(store, story_id), force=True)
        assert not set(analysed) & set(texts)  # no stored sentence analysed again
        after = store.get_post(story_id)
        assert after.content_hash == before.content_hash  # the same post
        assert result.story_id == story_id
        monkeypatch.undo()
        clear_token_cache()
        assert [list(m) for m in tokenize_many(texts)] == loaded


def store_story(store: Store, story_id: str):
    from sokbo.models import Story

    return Story(id=story_id, articles=tuple(store.story_articles(story_id)))


def test_posts_drafted_in_workers_keep_and_read_stored_analyses(tmp_path, demo_dir) -> None:
    """Stories written again by worker processes (`--jobs 2`) read the stored analyses sent
    with them, keep those of new articles, and write what one process writes."""
    from test_incremental import _posts, _records

    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    lines = _records(demo_dir, 3)
    half = tmp_path / "half.jsonl"
    half.write_text("\n".join(lines[::2]) + "\n", "utf-8")
    whole = tmp_path / "whole.jsonl"
    whole.write_text("\n".join(lines) + "\n", "utf-8")
    for jobs in (1, 2):
        settings = load_settings().with_overrides(out_dir=tmp_path / f"jobs{jobs}", jobs=jobs)
        for inputs in (half, whole):
            report = run_pipeline(settings, [str(inputs)], preview=False)
            assert not report.errors
        with Store(settings.state) as store:
            for p in report.posts:
                read = [a for a in store.story_articles(p.story_id)
                        if a.id in {s.article_id for s in store.load_post(
                            store.get_post(p.story_id).id).sources}]
                assert store.morphs_to_keep(read) == []  # every article read has them kept
    assert _posts(tmp_path / "jobs1") == _posts(tmp_path / "jobs2")


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text this process's Kiwi is asked to analyse (``tokenize``) from now on."""
    analysed: list[str] = []
    real = kiwi_mod.get_kiwi()

    class Counting:
        def tokenize(self, text, *a, **kw):
            analysed.extend([text] if isinstance(text, str) else list(text))
            return real.tokenize(text, *a, **kw)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(kiwi_mod, "get_kiwi", lambda: Counting())
    return analysed


@pytest.mark.parametrize(("source", "made"), [
    ("서울시는 3일 한강 공원 세 곳에 야간 쉼터를 새로 열었다.",
     "서울시는 3일 한강 공원 세 곳에 야간 쉼터를 새로 열었습니다."),
    ("한편 서울시는 3일 한강 공원 세 곳에 야간 쉼터를 열었습니다.",
     "서울시는 3일 한강 공원 세 곳에 야간 쉼터를 열었습니다."),
    ("오늘(3일) 서울시는 한강 공원 세 곳에 야간 쉼터를 열었습니다",
     "3일 서울시는 한강 공원 세 곳에 야간 쉼터를 열었습니다"),
    ("서울시는 한강 공원 세 곳에 야간 쉼터를 새로 열었습니다",
     "서울시는 한강 공원 세 곳에 야간 쉼터를 새로 열었습니다."),
    ("한강 공원 세 곳의 야간 쉼터를 처음 기획한 인물.",
     "한강 공원 세 곳의 야간 쉼터를 처음 기획한 인물입니다."),
    # the verb alone reads as 닫다: the word before it is analysed with it
    ("그는 2005년 고등학교 3학년 때 처음 태극마크를 달았다.",
     "그는 2005년 고등학교 3학년 때 처음 태극마크를 달았습니다."),
])
def test_a_text_made_of_a_sentence_is_analysed_in_its_edited_words_only(
        monkeypatch: pytest.MonkeyPatch, source: str, made: str) -> None:
    clear_token_cache()
    alone = [tuple(m) for m in kiwi_mod.get_kiwi().tokenize(made)]
    tokenize_many([source])
    analysed = _counting(monkeypatch)
    kiwi_mod.made_from(source, made)
    got = [tuple(m) for m in tokenize_many([made])[0]]
    assert got == [(t[0], t[1], t[2], t[3]) for t in alone]  # as Kiwi analyses it whole here
    assert sum(map(len, analysed)) <= len(made) // 2  # only the words that changed
    assert all(made[m.start:m.end] == m.form for m in tokenize_many([made])[0]
               if m.form in made)


def test_an_edit_across_a_morpheme_is_analysed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_token_cache()
    source, made = "서울시는 쉼터를 열었습니다.", "서울시는 쉼터를 연 것입니다."
    tokenize_many([source])
    kiwi_mod.made_from(source, made)
    assert [tuple(m) for m in tokenize_many([made])[0]] == [
        (t.form, t.tag, t.start, t.len) for t in kiwi_mod.get_kiwi().tokenize(made)]
    clear_token_cache()
    analysed = _counting(monkeypatch)
    kiwi_mod.made_from(source, made)
    tokenize_many([made])  # the source not analysed: the text is, whole
    assert analysed == [made]


def test_a_first_run_analyses_no_sentence_twice(tmp_path, demo_dir, monkeypatch) -> None:
    """Extraction's one Kiwi pass gives the sentences' analyses, the clustering terms and
    what the writer reads: no sentence of an article is analysed again, in the run or after."""
    from test_incremental import _records

    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(_records(demo_dir, 1)) + "\n", "utf-8")
    settings = load_settings().with_overrides(out_dir=tmp_path / "out", jobs=1)
    clear_token_cache()
    analysed = _counting(monkeypatch)
    report = run_pipeline(settings, [str(inputs)], preview=False)
    assert report.posts and not report.errors
    with Store(settings.state) as store:
        articles = [a for p in report.posts for a in store.story_articles(p.story_id)]
        texts = {s.text for a in articles for s in a.sentences}
        assert len(store.kept_morphs(articles)) == len(articles)
    assert not texts & set(analysed)
    assert sum(map(len, analysed)) < sum(len(a.text) for a in articles) / 2


def test_kept_analyses_read_back_by_columns_with_forms_kiwi_changed() -> None:
    """Kiwi's forms that differ from the text they cover (했다 → 하 + 였 + 다) come back as
    Kiwi gave them, for texts and the texts made of them; a text never analysed stays so."""
    clear_token_cache()
    made = SENTENCES[0].replace("열었다", "열었습니다")
    note_derived(SENTENCES[0], [made])
    fresh = [list(m) for m in tokenize_many([*SENTENCES[:4], made])]
    assert any(t[m.start:m.end] != m.form for t, ms in zip(SENTENCES, fresh) for m in ms)
    packed = pack_morphs([*SENTENCES[:4], "분석하지 않은 문장입니다."])
    clear_token_cache()
    assert unpack_morphs([*SENTENCES[:4], "분석하지 않은 문장입니다."], packed)
    assert "분석하지 않은 문장입니다." not in kiwi_mod._TOKEN_CACHE
    assert [list(kiwi_mod._TOKEN_CACHE[t]) for t in [*SENTENCES[:4], made]] == fresh


def test_analyses_kept_by_the_first_format_are_still_read() -> None:
    import base64
    import json
    import zlib

    clear_token_cache()
    fresh = [list(m) for m in tokenize_many(SENTENCES[:2])]
    rows = [[[m.tag, m.start, m.len] if t[m.start:m.end] == m.form
             else [m.tag, m.start, m.len, m.form] for m in ms]
            for t, ms in zip(SENTENCES[:2], fresh, strict=True)]
    old = base64.b64encode(zlib.compress(json.dumps(
        [kiwi_mod.OLD_MORPHS_VERSION, rows, []]).encode())).decode()
    clear_token_cache()
    assert unpack_morphs(SENTENCES[:2], old)
    assert [list(kiwi_mod._TOKEN_CACHE[t]) for t in SENTENCES[:2]] == fresh


def test_texts_made_later_are_added_to_what_is_kept() -> None:
    """A text made of a kept sentence by a local edit is analysed from the sentence's
    analysis once, then kept beside it (``pack_made``), and read back with it."""
    from sokbo.store import morphs_to_pack
    from sokbo.models import Article, Sentence

    clear_token_cache()
    tokenize_many(SENTENCES[:2])
    kept = pack_morphs(SENTENCES[:2])
    article = Article(id="a", url="u", title="t", outlet="o", published=None,
                      text=" ".join(SENTENCES[:2]), sentences=tuple(
                          Sentence(text=t, source_id="a", index=i, start=0, end=len(t))
                          for i, t in enumerate(SENTENCES[:2])))
    assert morphs_to_pack([article], {"a": kept}) == {}  # nothing new to keep
    made = SENTENCES[0].replace("열었다", "열었습니다")
    kiwi_mod.made_from(SENTENCES[0], made)
    note_derived(SENTENCES[0], [made])
    spliced = list(tokenize_many([made])[0])
    assert made in kiwi_mod._SPLICED
    grown = morphs_to_pack([article], {"a": kept})["a"]
    assert grown.startswith(kept + " ")  # the kept part is not packed again
    assert morphs_to_pack([article], {"a": grown}) == {}  # kept now
    clear_token_cache()
    assert unpack_morphs(SENTENCES[:2], grown)
    assert list(kiwi_mod._TOKEN_CACHE[made]) == spliced


def test_a_rewritten_story_makes_no_text_of_its_sentences_again(demo_run, monkeypatch,
                                                                 tmp_path) -> None:
    """The restyled sentences of a story written before are read from the store: Kiwi
    analyses none of their edited words again."""
    shared, report = demo_run
    shutil.copytree(shared.out_dir, tmp_path / "out")
    settings = shared.with_overrides(out_dir=tmp_path / "out")
    spliced: list[str] = []
    real = kiwi_mod._spliced

    def recording(texts):
        found = real(texts)
        spliced.extend(found)
        return found

    with Store(settings.state) as store:
        story_id = report.posts[0].story_id
        clear_token_cache()
        monkeypatch.setattr(kiwi_mod, "_spliced", recording)
        with store.story_lock(story_id):
            write_story(store, settings, store_story(store, story_id), force=True)
        made = [t for t, source in kiwi_mod._MADE_FROM.items() if t in kiwi_mod._TOKEN_CACHE]
        assert made  # the writer made texts of its sentences …
        assert spliced == []  # … and read every one back


def test_a_made_text_is_kept_as_the_morphemes_its_edit_changed() -> None:
    """A restyled ending keeps the sentence's morphemes before it (and 한편 dropped, those
    after it, moved): only the changed ones are stored, and the text reads back whole."""
    clear_token_cache()
    sentence = "한편 서울시는 3일 한강 공원 세 곳에 야간 쉼터를 새로 열었다."
    restyled = sentence.replace("열었다", "열었습니다")
    shorter = sentence.removeprefix("한편 ")
    for made, source in ((restyled, sentence), (shorter, sentence)):
        kiwi_mod.made_from(source, made)
    note_derived(sentence, [restyled, shorter])
    want = {t: list(m) for t, m in zip((sentence, restyled, shorter),
                                       tokenize_many([sentence, restyled, shorter]),
                                       strict=True)}
    rows = {t: (m, base) for t, m, base in kiwi_mod._made_rows(
        [sentence], kiwi_mod._made_of([sentence], lambda d: True))}
    middle, (index, first, last) = rows[restyled]
    assert index == 0 and first > len(want[restyled]) // 2  # the words before the ending
    assert first + len(middle) + last == len(want[restyled])
    assert len(middle) < len(want[restyled]) // 2
    middle, (index, first, last) = rows[shorter]
    assert last > len(want[shorter]) // 2  # the words after 한편, moved
    packed = pack_morphs([sentence])
    clear_token_cache()
    assert unpack_morphs([sentence], packed)
    assert {t: list(kiwi_mod._TOKEN_CACHE[t]) for t in want} == want
