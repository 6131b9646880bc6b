"""sokbo.toml: every bad value is one ConfigError naming the key, never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sokbo.cli import cli
from sokbo.config import load_settings
from sokbo.errors import ConfigError


def _load(tmp_path: Path, text: str):  # noqa: ANN202
    path = tmp_path / "sokbo.toml"
    path.write_text(text, "utf-8")
    return load_settings(path)


@pytest.mark.parametrize(("text", "message"), [
    ("[post]\nexcerpt_sentences = inf", "post.excerpt_sentences must be a whole number"),
    ("[post]\nexcerpt_sentences = nan", "post.excerpt_sentences must be a whole number"),
    ("[post]\nexcerpt_sentences = true", "post.excerpt_sentences must be a whole number"),
    ("[post]\nexcerpt_sentences = 9", "post.excerpt_sentences must be 3 to 5, not 9"),
    ("[post]\ntitle_max_chars = 99999999999999999999", "post.title_max_chars must be 10 to 200"),
    ("[post]\ntitle_max_chars = 9999999999999999999", "post.title_max_chars must be 10 to 200"),
    ("[cluster]\nthreshold = inf", "cluster.threshold must be 0 to 1, not inf"),
    ("[cluster]\nthreshold = nan", "cluster.threshold must be a number"),
    ("[cluster]\nthreshold = \"0.1\"", "cluster.threshold must be a number"),
    ("[http]\ntimeout = -inf", "http.timeout must be 0.1 to 600"),
    ("[http]\nretries = 1e9", "http.retries must be a whole number"),
    ('[http]\nuser_agent = "속보봇/1.0"', "http.user_agent must be printable ASCII"),
    ('[http]\nuser_agent = "bot\\r\\nX-Evil: 1"', "http.user_agent must be one short line"),
    ('[http]\nuser_agent = ""', "http.user_agent must not be empty"),
    ('[output]\nformat = 3', "output.format must be a string"),
    ('[output]\ntimezone = "../../etc/passwd"', "output.timezone is not a time zone name"),
    ('output = 5', "[output] must be a table"),
    ('[post]\ncategories = "뉴스"', "post.categories must be a list of strings"),
    ('feeds = 5', "feeds must be a list"),
    ('[[feeds]]\nurl = 5', "every [[feeds]] entry needs a url"),
    ('[[feeds]]\nurl = "https://a.example/rss"\noutlet = 1', "[[feeds]] outlet must be a string"),
    ("a = " + "[" * 3000 + "]" * 3000, "invalid TOML"),
    ('[post\nx = 1', "invalid TOML"),
])
def test_bad_values_are_one_config_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, text)
    assert message in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "sokbo.toml"))
    assert "\n" not in str(info.value)


def test_good_values_load(tmp_path: Path) -> None:
    s = _load(tmp_path, '[post]\nexcerpt_sentences = 3\n[cluster]\nthreshold = 0.2\n'
                        '[http]\ntimeout = 5\nuser_agent = "sokbo-test/1.0 (+https://a.example)"')
    assert (s.excerpt_sentences, s.cluster_threshold, s.http_timeout) == (3, 0.2, 5.0)


def test_config_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "sokbo.toml").write_text("[post]\nexcerpt_sentences = inf\n", "utf-8")
    for args in (["run"], ["watch", "--max-runs", "1"]):
        result = CliRunner().invoke(cli, [*args, "--config", str(tmp_path / "sokbo.toml"),
                                          "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1
        assert "excerpt_sentences" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_config_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "sokbo.toml"
    path.write_bytes(b"[post]\ncta_text = \"\xff\xfe\"\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(path)
