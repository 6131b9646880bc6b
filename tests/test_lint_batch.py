"""`sokbo lint DIR…`: folders searched recursively, several processes, GitHub annotations."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from sokbo.errors import InputError
from sokbo.lint.batch import collect_posts, lint_paths
from sokbo.lint.cli import lint_command

LINT = DATA / "lint"


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """A blog repository: posts in _posts/ and a subfolder, a README, a built _site/."""
    root = tmp_path / "blog"
    (root / "_posts" / "2024").mkdir(parents=True)
    shutil.copy(LINT / "clean-auto.md", root / "_posts" / "a-clean.md")
    shutil.copy(LINT / "SB105-model-chatter.md", root / "_posts" / "2024" / "b-chatter.md")
    shutil.copy(LINT / "SB307-broken-table.md", root / "_posts" / "c-table.md")
    (root / "README.md").write_text("# 블로그\n\n설명입니다.\n", encoding="utf-8")
    (root / "_site").mkdir()
    shutil.copy(LINT / "SB105-model-chatter.md", root / "_site" / "built.md")
    (root / ".git").mkdir()
    (root / ".git" / "x.md").write_text("---\ntitle: x\n---\n<p>x</p>\n", encoding="utf-8")
    return root


def test_folders_are_searched_recursively(blog: Path) -> None:
    found = [Path(p).relative_to(blog).as_posix() for p, named in collect_posts([str(blog)])]
    assert found == ["README.md", "_posts/2024/b-chatter.md", "_posts/a-clean.md",
                     "_posts/c-table.md"]
    (blog / "assets").mkdir()
    (blog / "assets" / "style.css").write_text("p {}", encoding="utf-8")
    with pytest.raises(InputError, match="no post files"):
        collect_posts([str(blog / "assets")])


def test_lint_paths_skips_what_is_no_post(blog: Path) -> None:
    results = lint_paths([str(blog)], profile="auto")
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["README.md"].skipped and by_name["README.md"].result is None
    assert [f.code for f in by_name["b-chatter.md"].result.findings] == ["SB105"]
    assert [f.code for f in by_name["c-table.md"].result.findings] == ["SB307"]
    assert by_name["a-clean.md"].result.findings == []


def test_a_named_file_that_is_no_post_is_bad_input(blog: Path) -> None:
    with pytest.raises(InputError, match="not a post"):
        lint_paths([str(blog / "README.md")])


def test_jobs_give_the_same_findings(blog: Path) -> None:
    one = lint_paths([str(blog)], profile="auto", jobs=1)
    two = lint_paths([str(blog / "_posts"), str(LINT / "clean-auto.md"),
                      *(str(p) for p in sorted(LINT.glob("SB1*.md")))], profile="auto", jobs=2)
    assert [r.path for r in two][:3] == [r.path for r in one if "_posts" in r.path]
    assert [[f.code for f in r.result.findings] for r in two[:3]] == \
           [[f.code for f in r.result.findings] for r in one if "_posts" in r.path]
    assert all(r.result is not None for r in two)


def test_cli_folder_summary_and_exit(blog: Path) -> None:
    result = CliRunner().invoke(lint_command, [str(blog), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[-2] == "3 files checked: 2 findings (2 errors); 1 file skipped (no post)"
    assert lines[-1] == "by rule: SB105 model-chatter 1, SB307 broken-table 1"


def test_cli_github_annotations(blog: Path) -> None:
    result = CliRunner().invoke(lint_command, [str(blog / "_posts"), "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    chatter = next(line for line in lines if "SB105" in line)
    assert re.fullmatch(r"::error file=.*b-chatter\.md,line=\d+,title=SB105 model-chatter::"
                        r"the model talking to its user.*", chatter)
    line = int(re.search(r",line=(\d+),", chatter).group(1))
    text = (blog / "_posts" / "2024" / "b-chatter.md").read_text("utf-8").splitlines()
    assert "작성해 드렸습니다" in text[line - 1]


def test_cli_github_front_matter_line(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    shutil.copy(LINT / "SB503-unsupported-title.md", post)
    result = CliRunner().invoke(lint_command, [str(post), "--format", "github"])
    (line,) = result.stdout.splitlines()
    assert ",line=2," in line and "SB503" in line  # the title: key is on line 2


def test_cli_profile_none_runs_no_template_rule() -> None:
    result = CliRunner().invoke(lint_command, [str(LINT / "SB307-broken-table.md"),
                                               "--profile", "none", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["counts"] == {}
