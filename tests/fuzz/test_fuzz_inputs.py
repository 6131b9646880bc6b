"""Fuzzing the input side: pages, feeds, JSONL, text files, config (see harness.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import strategies as st

from fuzz.harness import EntryPoint, as_bytes, mutated
from fuzz.seeds import (
    CONFIG,
    FEEDS,
    JSONL,
    PAGES,
    TEXTS,
    generated_configs,
    generated_feeds,
    generated_jsonl,
    generated_pages,
)

pages = EntryPoint("pages", fuzz_examples=20_000)
feeds = EntryPoint("feeds", fuzz_examples=25_000)
jsonl = EntryPoint("jsonl", fuzz_examples=8_000)
texts = EntryPoint("text files", fuzz_examples=5_000)
config = EntryPoint("config", fuzz_examples=10_000)


def test_fuzz_pages() -> None:
    from sokbo.extract import extract_article

    pages.fuzz(st.one_of(generated_pages(), mutated(PAGES)),
               target=lambda html: extract_article(html, url="https://news.example/a/1"))


def test_fuzz_feeds() -> None:
    from sokbo.ingest import read_feed

    docs = st.one_of(generated_feeds(), mutated(FEEDS))
    feeds.fuzz(st.one_of(docs, as_bytes(docs)),
               target=lambda data: read_feed(data, "file:///feeds/f.xml", "f.xml"))


def _read_file(path: Path, data: bytes) -> None:
    from sokbo.ingest import iter_input

    path.write_bytes(data)
    for _ in iter_input(str(path)):
        pass


def test_fuzz_jsonl(tmp_path: Path) -> None:
    docs = st.one_of(generated_jsonl(), mutated([JSONL], max_ops=6))
    jsonl.fuzz(as_bytes(docs), target=lambda data: _read_file(tmp_path / "in.jsonl", data))


def test_fuzz_text_files(tmp_path: Path) -> None:
    docs = mutated(TEXTS, max_ops=6)
    name = st.sampled_from(("a.txt", "a.html", "a.md", "a"))
    texts.fuzz(st.tuples(name, as_bytes(docs)),
               target=lambda v: _read_file(tmp_path / v[0], v[1]))


def test_fuzz_config(tmp_path: Path) -> None:
    from sokbo.config import load_settings
    from sokbo.sources import make_fetcher

    def load(text: str) -> None:
        path = tmp_path / "sokbo.toml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        settings = load_settings(path)
        make_fetcher(settings).close()  # the HTTP settings must be usable, not only typed

    config.fuzz(st.one_of(generated_configs(), mutated([CONFIG], max_ops=3)), target=load)


local_feeds = EntryPoint("local feeds", fuzz_examples=4_000, test_examples=20)


@st.composite
def local_sites(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A feed file linking page files beside it (some links drawn, some pointing at them)."""
    pages = draw(st.lists(st.one_of(mutated(PAGES, max_ops=2), generated_pages()), max_size=3))
    feed = draw(st.one_of(generated_feeds(), mutated(FEEDS, max_ops=2)))
    for k in range(len(pages)):
        for link in ("https://news.example/a/1", "hanbit-busan-wind.html",
                     "onnuri-satellite-badabyeol.html"):
            if link in feed and draw(st.booleans()):
                feed = feed.replace(link, f"page-{k}.html", 1)
    return feed, pages


def test_fuzz_local_feeds(tmp_path: Path) -> None:
    from newssite import fast_settings

    from sokbo.sources import read_inputs
    from sokbo.store import Store

    settings = fast_settings(tmp_path / "out")
    with Store(tmp_path / "state.db") as store:
        def read(site: tuple[str, list[str]]) -> None:
            feed, pages = site
            folder = tmp_path / "site"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            for k, page in enumerate(pages):
                (folder / f"page-{k}.html").write_text(page, "utf-8", errors="replace")
            (folder / "feed.xml").write_text(feed, "utf-8", errors="replace")
            result = read_inputs(settings, [str(folder / "feed.xml")], store)
            bad = [e for e in result.errors if "\n" in e or "\r" in e]
            assert not bad, f"an error line is not one line: {bad[0]!r}"

        local_feeds.fuzz(local_sites(), target=read)
