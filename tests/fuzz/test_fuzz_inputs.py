"""Fuzzing the input side: pages, feeds, JSONL, text files, config (see harness.py)."""
from __future__ import annotations

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

pages = EntryPoint("pages", fuzz_examples=24_000)
feeds = EntryPoint("feeds", fuzz_examples=24_000)
jsonl = EntryPoint("jsonl", fuzz_examples=12_000)
texts = EntryPoint("text files", fuzz_examples=8_000)
config = EntryPoint("config", fuzz_examples=12_000)


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
