"""Lint's safety rules read the body as a browser does, check front matter text, and never crash
on hostile post files (issue 11, items 4, 5 and 6)."""
from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from sokbo.errors import InputError
from sokbo.frontmatter import load_yaml
from sokbo.lint import RULES, lint_text
from sokbo.lint.cli import EXIT_INTERNAL, lint_command

CLEAN = (DATA / "lint" / "clean.html").read_text(encoding="utf-8")
LAST_P = "말했습니다.</p>"


def with_body(extra: str) -> str:
    assert LAST_P in CLEAN
    return CLEAN.replace(LAST_P, LAST_P + "\n\n" + extra, 1)


def with_front(line: str) -> str:
    """The clean post with one front matter line added (or replacing the key's line)."""
    key = line.split(":", 1)[0]
    head, sep, rest = CLEAN.partition(f"\n{key}: ")
    if sep:
        return head + "\n" + line + "\n" + rest.split("\n", 1)[1]
    return CLEAN.replace("---\n", f"---\n{line}\n", 1)


def codes(text: str) -> set[str]:
    return {f.code for f in lint_text(text).findings}


# Each of these runs script in Chromium; Python's html.parser saw nothing in most of them.
SMUGGLED = [
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "SB403"),
    ('<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>', "SB403"),
    ('<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>', "SB403"),
    ('<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>', "SB403"),
    ('<title><p title="</title><img src=x onerror=alert(1)>"></title>', "SB403"),
    ("<!-- --!><img src=x onerror=alert(1)> -->", "SB403"),
    ("<!--><img src=x onerror=alert(1)>-->", "SB403"),
    ('<svg><style><img src=x onerror=alert(1)></style></svg>', "SB403"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "SB402"),
    ('<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>', "SB403"),
    ('<svg><a><set attributeName="href" to="javascript:alert(1)"/><text y="20">x</text></a>'
     '</svg>', "SB402"),
    ('<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>', "SB404"),
    ('<a href="jav&#x09;ascript:alert(1)">링크</a>', "SB404"),
    ('<form><button formaction="javascript:alert(1)">x</button></form>', "SB404"),
    ('<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>', "SB402"),
    ("<SCRIPT>alert(1)</SCRIPT>", "SB402"),
]


@pytest.mark.parametrize(("payload", "code"), SMUGGLED)
def test_markup_a_browser_runs_is_found(payload: str, code: str) -> None:
    found = lint_text(with_body(payload)).findings
    hits = [f for f in found if f.code == code]
    assert hits, [(f.code, f.quote) for f in found]
    # reported at the payload's line, not the body's first line
    line = with_body(payload).splitlines().index(payload) + 1
    assert any(f.location == f"line {line}" for f in hits)


@pytest.mark.parametrize("text", [
    "<p>부등호 3 < 5 와 <기생충> 은 글자입니다.</p>",
    '<p title="<img src=x onerror=alert(1)>">속성 값 안의 글자는 실행되지 않습니다.</p>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; 라는 글자입니다.</p>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
])
def test_text_that_only_looks_like_markup_is_no_finding(text: str) -> None:
    assert not codes(with_body(text)) & {"SB402", "SB403", "SB404"}


# -- front matter text (SB404, SB406) ----------------------------------------------------------


@pytest.mark.parametrize("line", [
    "title: 'ICT 수출 <img src=x onerror=alert(1)>'",
    "description: '[눌러](javascript:alert(1)) 요약'",
    "summary: '*강조*{: onmouseover=\"alert(1)\"}'",
    "header: {teaser: 'x <script>alert(1)</script>'}",
    "sources: [{title: '<b onmouseover=alert(1)>제목</b>'}]",
])
def test_markup_in_front_matter_text_is_found(line: str) -> None:
    findings = [f for f in lint_text(with_front(line)).findings if f.code == "SB406"]
    key = line.split(":", 1)[0]
    assert [f.location for f in findings] == [f"front-matter:{key}"]


def test_unsafe_url_anywhere_in_front_matter() -> None:
    found = lint_text(with_front("header: {overlay_image: 'javascript:alert(1)'}")).findings
    assert [(f.code, f.location) for f in found if f.code == "SB404"] == [
        ("SB404", "front-matter:header")]


def test_plain_front_matter_text_is_no_finding() -> None:
    text = with_front("description: '영화 <기생충> 3<5 [단독] 보도 {중괄호} 링크 [x](https://a.example)'")
    assert not codes(text) & {"SB404", "SB406"}
    # text that starts like a URL is still text: only URL keys (image, url, …) are URLs
    assert not codes(with_front("description: 'javascript: 입문서 소개'")) & {"SB404", "SB406"}


# -- crash sites of the fuzzing campaign --------------------------------------------------------


def test_impossible_date_is_no_crash() -> None:
    assert "SB201" not in codes(with_front("date: 2024-13-45"))
    assert lint_text(with_front("date: !!timestamp 2024-13-45")).findings[0].code == "SB201"


def test_unparsable_link_is_a_broken_link() -> None:
    found = lint_text(with_body('<p><a href="http://[::1">링크</a></p>')).findings
    assert any(f.code == "SB405" and "cannot be parsed" in f.message_en for f in found)


def test_deep_yaml_is_an_invalid_front_matter() -> None:
    text = "---\ntitle: " + "[" * 3000 + "\n---\n<p>본문입니다.</p>\n"
    found = lint_text(text).findings
    assert [f.code for f in found if f.code == "SB201"] == ["SB201"]
    assert "nested deeper" in next(f.message_en for f in found if f.code == "SB201")


@pytest.mark.parametrize("depth", [400, 3000, 20000])
def test_deep_html_is_no_crash(depth: int) -> None:
    text = with_body("<div>" * depth + "깊은 글" + "</div>" * depth)
    start = time.perf_counter()
    found = codes(text)
    assert time.perf_counter() - start < 60  # generous: a hang would take hours
    assert ("SB407" in found) == (depth > 400)


def test_reopened_formatting_elements_stay_bounded() -> None:
    # each <p> makes the browser reopen every earlier <b>: quadratic work, in Chromium too
    text = with_body("".join(f"<b id={i}><p>x" for i in range(3000)))
    assert "SB407" in codes(text)


BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
excerpt: *i
---
<p>본문입니다.</p>
"""


def _limit_memory() -> None:
    limit = 1 << 30  # 1 GiB of address space: the bomb wanted more than 20 GB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_yaml_alias_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    post = tmp_path / "bomb.html"
    post.write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 1200
    run = subprocess.run(
        [sys.executable, "-m", "sokbo", "lint", str(post)], capture_output=True, text=True,
        timeout=120, preexec_fn=_limit_memory,
    )
    assert run.returncode == 1, run.stderr  # findings, not a crash (3) or MemoryError
    assert "SB201" in run.stdout and "not allowed" in run.stdout


def test_load_yaml_refuses_aliases_anchors_depth_and_size() -> None:
    for text in ["a: &x 1\nb: *x", "a: &x 1", "a: " + "[" * 100 + "]" * 100,
                 "a: '" + "x" * 300_000 + "'", "a: !!python/object:os.system x",
                 "a: !!int " + "9" * 5000]:
        with pytest.raises(InputError):
            load_yaml(text)
    assert load_yaml("date: 2024-13-45\nn: [1, {b: c}]") == {"date": "2024-13-45",
                                                            "n": [1, {"b": "c"}]}


# -- exit codes: 1 findings, 2 bad input, 3 a linter bug ----------------------------------------


def test_a_crashing_lint_exits_3_and_names_the_post(tmp_path: Path, monkeypatch) -> None:
    good, bad = tmp_path / "good.html", tmp_path / "bad.html"
    good.write_text(CLEAN, encoding="utf-8")
    bad.write_text(with_body('<p><a href="https://a.example/boom">링크</a></p>'),
                   encoding="utf-8")
    monkeypatch.setenv("SOKBO_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr("sokbo.crashlog._log_path", None)
    rule = RULES["SB405"]

    def boom(ctx):
        if any("boom" in (el.attr("href") or "") for el in ctx.post.elements):
            raise ValueError("simulated linter bug")
        return iter(())

    monkeypatch.setitem(RULES, "SB405", type(rule)(rule.code, rule.name, rule.severity,
                                                   rule.description, boom))
    result = CliRunner().invoke(lint_command, [str(good), str(bad)])
    assert result.exit_code == EXIT_INTERNAL
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and str(bad) in errors[0] and "ValueError" in errors[0]
    log = Path(errors[0].split("traceback in ", 1)[1].split(")", 1)[0])
    assert log.is_file() and "simulated linter bug" in log.read_text(encoding="utf-8")
    assert "1 file checked" in result.stdout  # the good post is still reported
