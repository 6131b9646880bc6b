"""Fuzzing lint input: post files (front matter, HTML and Markdown bodies) must lint or be
refused with a SokboError, never crash (see harness.py).

Three entry points, cheapest first, so that ``make fuzz`` spends its inputs where they reach
most code: ``lint front matter`` (the bounded YAML loader), ``lint parse`` (splitting, both
HTML views, no Kiwi) and ``lint`` (every rule, Kiwi included, on text and on bytes read from
a file).
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from fuzz.harness import HOSTILE, EntryPoint, as_bytes, mutated
from fuzz.seeds import SENTENCES, html_fragment

LINT_DATA = Path(__file__).resolve().parent.parent / "data" / "lint"
POSTS = [p.read_text("utf-8") for p in sorted(LINT_DATA.glob("*.html"))]

front_matter = EntryPoint("lint front matter", fuzz_examples=15_000)
parse = EntryPoint("lint parse", fuzz_examples=10_000)
lint = EntryPoint("lint", fuzz_examples=5_000)

# Payloads that browsers run or parsers split in surprising ways (fictional context).
PAYLOADS = (
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<textarea><p title="</textarea><img src=x onerror=alert(1)>">',
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
    '<noembed><p title="</noembed><img src=x onerror=alert(1)>">',
    "<!-- --!><img src=x onerror=alert(1)> -->", "<!--><img src=x onerror=alert(1)>-->",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><set attributeName="href" to="javascript:alert(1)"/>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>', '<a href="http://[::1">x</a>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">', "<plaintext><img>",
    "<template><img src=x onerror=alert(1)></template>", "<b id=1><p>x" * 40,
    "<table><td><select><option><svg><foreignObject><p>", "</p></br></h2>",
)
YAML_VALUES = (
    "2024-13-45", "!!timestamp 2024-13-45", "&a [1, 2]", "*a", "!!python/object:os.system x",
    "[" * 50, "{" * 50, "!!binary ===", "!!int 0x", "!!float .nan", "'''", '"\\x"', "|",
    ">-", "? [a]\n: b", "!!set {a, b}", "!!omap [a: 1]", "~", "9" * 5000, "<img src=x "
    "onerror=alert(1)>", "'[x](javascript:alert(1))'", "'*x*{: onclick=alert(1)}'",
    "{a: &b [*b]}", "- - - - -", "@x", "`x`", "%YAML 1.1", "---", "...",
)
KEYS = ("title", "categories", "excerpt", "feature_text", "image", "date", "tags",
        "sources", "summary", "description", "header", "<b>", "1", "? x")

yaml_value = st.one_of(st.sampled_from(YAML_VALUES), st.sampled_from(HOSTILE),
                       st.sampled_from(SENTENCES), st.text(max_size=30))


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """Front matter text: keys with hostile values, nesting, anchors and aliases."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.sampled_from(KEYS))
        shape = draw(st.sampled_from(("plain", "plain", "list", "map", "folded", "deep")))
        value = draw(yaml_value)
        if shape == "list":
            lines.append(f"{key}:\n" + "".join(f"  - {draw(yaml_value)}\n"
                                               for _ in range(draw(st.integers(0, 3)))))
        elif shape == "map":
            lines.append(f"{key}:\n  {draw(st.sampled_from(KEYS))}: {value}\n")
        elif shape == "folded":
            lines.append(f"{key}: >\n  {value}\n  {draw(yaml_value)}\n")
        elif shape == "deep":
            n = draw(st.sampled_from((5, 40, 300)))
            lines.append(f"{key}: {'[' * n}{value}{']' * n}\n")
        else:
            lines.append(f"{key}: {value}\n")
    return "".join(lines)


@st.composite
def markdown_bodies(draw: st.DrawFn) -> str:
    """A Markdown body of the kind other tools write: headings, lists, links, a sources line."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(("p", "h2", "list", "link", "image", "raw", "table")))
        text = draw(st.one_of(st.sampled_from(SENTENCES), st.text(max_size=20)))
        parts.append({
            "p": text, "h2": f"## {text}", "list": f"- {text}\n- {draw(yaml_value)}",
            "link": f"[{text}]({draw(st.sampled_from(('https://a.example', 'javascript:x')))})",
            "image": f"![{text}](https://img.example/a.png)",
            "raw": draw(st.sampled_from(PAYLOADS)), "table": f"| a | b |\n|---|---|\n| {text} |",
        }[kind])
    return "\n\n".join(parts)


@st.composite
def generated_posts(draw: st.DrawFn) -> str:
    """A post: optional front matter, then an HTML or Markdown body with payloads."""
    fm = draw(st.one_of(st.none(), yaml_documents()))
    if draw(st.booleans()):
        body = "".join(draw(st.lists(st.one_of(html_fragment, st.sampled_from(PAYLOADS),
                                               st.sampled_from(SENTENCES).map(
                                                   lambda s: f"<p>{s}</p>")), max_size=10)))
    else:
        body = draw(markdown_bodies())
    head = "" if fm is None else f"---\n{fm}{draw(st.sampled_from(('---', '...', '')))}\n"
    return head + body


posts = st.one_of(generated_posts(), mutated(POSTS, max_ops=6))


def test_fuzz_lint_front_matter() -> None:
    from sokbo.frontmatter import load_yaml

    front_matter.fuzz(st.one_of(yaml_documents(), st.text(max_size=200)), target=load_yaml)


def test_fuzz_lint_parse() -> None:
    from sokbo.lint.parse import parse_post

    parse.fuzz(posts, target=parse_post)


def test_fuzz_lint(tmp_path: Path) -> None:
    from sokbo.lint import lint_file, lint_text

    def run(value: str | bytes) -> None:
        if isinstance(value, bytes):
            path = tmp_path / "post.html"
            path.write_bytes(value)
            lint_file(path)
        else:
            lint_text(value)

    lint.fuzz(st.one_of(posts, as_bytes(posts)), target=run)
