"""Fuzzing command lines: odd arguments to every command give exit 0, 1 or 2, never 3 and
never a traceback. Commands that would run forever (serve, watch without --max-runs) or reach
the network are kept out; URLs point at a closed loopback port or are malformed."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import strategies as st

from fuzz.harness import EntryPoint
from fuzz.seeds import DEMO

cli_args = EntryPoint("cli arguments", fuzz_examples=4_000, test_examples=30,
                      hang_seconds=60.0)  # a whole `sokbo post` on a loaded machine

ODD = ("", " ", "-", "--", "../..", "/", "/dev/null", "/proc/self/status", "~", "가나다",
       "a" * 300, "http://[::1", "http://127.0.0.1:1/feed.xml", "https://news.example]/a",
       "javascript:alert(1)", "file:///etc/passwd", "-1", "0", "1e309", "nan", "10m", "0s",
       "-5m", "99999h", "1h30m", "1h1h", "ｍ", "\u202e", "%s%n", "{}", "--json", "--help")


@st.composite
def command_lines(draw: st.DrawFn, files: list[str]) -> list[str]:
    value = st.one_of(st.sampled_from(ODD), st.sampled_from(files),
                      st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                     blacklist_characters="\x00"), max_size=12))
    command = draw(st.sampled_from((
        ["run"], ["post"], ["lint"], ["approve"], ["publish"], ["site", "build"],
        ["watch", "--max-runs", "1", "--every", "1s"], ["bench"], ["train"], ["serve"], [],
    )))
    args = list(command)
    options = {
        "run": ["--feed", "--config", "--out", "--format", "--template", "--json"],
        "post": ["--config", "--out", "--format", "--json"],
        "lint": ["--sources", "--json", "--select", "--ignore"],
        "approve": ["--all", "--out", "--json"],
        "publish": ["--repo", "--post", "--posts-dir", "--out", "--json"],
        "site": ["--out", "--template"],
        "watch": ["--feed", "--config", "--out", "--every", "--max-runs"],
        "serve": ["--port", "--host", "--out", "--help"],
    }.get(command[0] if command else "", ["--help", "--version", "--debug"])
    for _ in range(draw(st.integers(0, 4))):
        option = draw(st.sampled_from(options))
        args.append(option)
        if option not in ("--json", "--all", "--help", "--version", "--debug"):
            args.append(draw(value))
    args += draw(st.lists(value, max_size=3))
    if command and command[0] == "serve" and "--help" not in args:
        args.append("--port=-1")  # never actually serve
    if command and command[0] in ("run", "watch") and "--feed" not in args:
        args += ["--feed", draw(value)]  # never the whole demo corpus: too slow per input
    if command and command[0] == "watch":
        args += ["--max-runs", "1"]  # the last one wins: never a long watch
    if command and command[0] == "lint":
        # a folder is linted recursively: "/" or "../.." is every post on the disk (what the
        # user asked for, too slow per input); their folder-ness is fuzzed by other commands
        args = [a for a in args if a not in ("/", "../..")]
    return args


def test_fuzz_cli_arguments(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from sokbo.cli import cli

    monkeypatch.chdir(tmp_path)
    page = tmp_path / "page.html"
    page.write_bytes((DEMO / "hanbit-busan-wind.html").read_bytes())
    (tmp_path / "bad.toml").write_text("[post]\nexcerpt_sentences = inf\n", "utf-8")
    (tmp_path / "in.jsonl").write_text('{"title": 123, "text": "x"}\n', "utf-8")
    (tmp_path / "feed.xml").write_bytes(b"\xef\xbb\xbf")
    files = [str(page), str(tmp_path / "bad.toml"), str(tmp_path / "in.jsonl"),
             str(tmp_path / "feed.xml"), str(tmp_path / "missing.html"), str(tmp_path / "out"),
             str(tmp_path)]
    runner = CliRunner()

    def invoke(args: list[str]) -> None:
        result = runner.invoke(cli, args, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-500:])
        assert "Traceback" not in result.output, result.output[-500:]

    cli_args.fuzz(command_lines(files), target=invoke)
