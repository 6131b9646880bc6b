"""YAML front matter, both ways: the one dumper every renderer writes with, the one loader
everything that reads a post file uses.

Writing: every string goes out as plain text (``safetext.plain_text``) and every URL as a safe
http(s) URL, whatever key it sits under. The check lives in the dumper's representers, so no key
can be forgotten: a theme may print any front matter value as HTML or Markdown.

Reading: PyYAML's safe loader, bounded. Aliases and anchors are refused (a 1 KB "billion laughs"
post expands to gigabytes), nesting is limited (no RecursionError on 3000 levels), the text is
limited in size, dates stay strings (``date: 2024-13-45`` is no crash), and any error comes out
as ``InputError``.
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from sokbo.errors import InputError
from sokbo.safetext import plain_text, safe_src, safe_url

__all__ = [
    "MAX_DEPTH",
    "MAX_YAML_CHARS",
    "FoldedStr",
    "ImageUrl",
    "QuotedStr",
    "QuotedUrl",
    "Url",
    "dump_front_matter",
    "load_dumped_yaml",
    "load_yaml",
]

# A post's front matter is a few KB and three levels deep (sources → item → key).
MAX_YAML_CHARS = 200_000
MAX_DEPTH = 32


# -- writing -------------------------------------------------------------------------------------


class FoldedStr(str):
    """Dumped as a YAML folded scalar (``>``), as the reference theme expects for excerpts."""


class QuotedStr(str):
    """Dumped single-quoted."""


class Url(str):
    """A URL: dumped as itself when it is a safe http(s) URL, as ``''`` otherwise."""


class QuotedUrl(Url):
    """A URL dumped single-quoted, as the reference does for image URLs."""


class ImageUrl(QuotedUrl):
    """The post image: a safe http(s) URL or a path from the site root (a title card's
    ``/assets/cards/<slug>.png``), dumped single-quoted; ``''`` otherwise."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a list used twice is written twice: the loader refuses aliases


# libyaml's emitter writes the same text as PyYAML's (pinned by a test) in a fifth of the time
class _CDumper(getattr(yaml, "CSafeDumper", _Dumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(style: str | None = None, *, suffix: str = ""):
    def represent(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        text = plain_text(value)
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + suffix if text else text,
                                       style=style)
    return represent


def _url(style: str | None = None, check: Any = safe_url):
    def represent(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", check(value) or "",
                                       style=style)
    return represent


for _dumper in (_Dumper, _CDumper):
    _dumper.add_representer(str, _str())
    # the folded scalar keeps its final newline (">" rather than ">-"), as the reference
    # writes it
    _dumper.add_representer(FoldedStr, _str(">", suffix="\n"))
    _dumper.add_representer(QuotedStr, _str("'"))
    _dumper.add_representer(Url, _url())
    _dumper.add_representer(QuotedUrl, _url("'"))
    _dumper.add_representer(ImageUrl, _url("'", safe_src))


# characters both emitters write as they are: printable, in the Basic Multilingual Plane, no
# line or paragraph separator, no byte order mark
_NOT_PLAIN = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


def dump_front_matter(data: dict[str, Any], *, dumper: type = _CDumper) -> str:
    """``---``-fenced YAML from a safe dumper, keys in the given order; every string is plain
    text (markup removed, one line) and every ``Url`` a safe http(s) URL or empty."""
    if dumper is not _Dumper and _unusual(data):
        # the two emitters differ on the rest: libyaml escapes characters past U+FFFF
        # ("\U0001F389") and quotes a line separator where PyYAML does not; such front matter
        # is dumped by PyYAML, as every post's was before
        dumper = _Dumper
    body = yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000,
        default_flow_style=False,
    )
    return f"---\n{body}---\n"


def _unusual(value: Any) -> bool:
    if isinstance(value, str):
        return _NOT_PLAIN.search(value) is not None
    if isinstance(value, dict):
        return any(_unusual(k) or _unusual(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_unusual(v) for v in value)
    return False


# -- reading -------------------------------------------------------------------------------------

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader without aliases, anchors, deep nesting or implicit timestamps."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, "anchors (&name) are not allowed", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                    event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as e:  # "!!timestamp 2024-13-45"
            raise ConstructorError(None, None, f"invalid date: {e}", node.start_mark) from e


# Dates stay strings: a post's date is checked by whoever reads it, and Jekyll, Hugo and
# PyYAML disagree on what a valid one is.
_BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BoundedLoader.add_constructor(_TIMESTAMP, _BoundedLoader.construct_yaml_timestamp)


def _where(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    return f" (line {mark.line + 1})" if mark is not None else ""


def load_yaml(text: str, *, source: str | None = None) -> Any:
    """The value of one YAML document; ``InputError`` for anything that is not plain, bounded
    YAML (aliases, anchors, more than ``MAX_DEPTH`` levels, more than ``MAX_YAML_CHARS``)."""
    if len(text) > MAX_YAML_CHARS:
        raise InputError(f"YAML is {len(text):,} characters; at most {MAX_YAML_CHARS:,} are read",
                         source=source)
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # the reader already refuses control characters
        return loader.get_single_data()
    except yaml.YAMLError as e:
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(f"{problem}{_where(e)}", source=source) from e
    except (ValueError, TypeError, OverflowError) as e:
        # constructor data errors PyYAML does not wrap, e.g. an int of more than 4300 digits
        raise InputError(f"invalid YAML value: {e}", source=source) from e
    finally:
        if loader is not None:
            loader.dispose()


# libyaml's loader, with the bounded loader's resolvers and constructors: for front matter
# ``dump_front_matter`` wrote (a rendered post), which never has an alias or an anchor
# (``_Dumper.ignore_aliases``) and is as deep as the data the renderer dumped.
# PyYAML built without libyaml has no CSafeLoader: then ``load_yaml`` reads it all.
_DumpedLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):
    class _DumpedLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        pass

    _DumpedLoader.yaml_implicit_resolvers = _BoundedLoader.yaml_implicit_resolvers
    _DumpedLoader.add_constructor(_TIMESTAMP, _BoundedLoader.construct_yaml_timestamp)


def _plain_tree(node: yaml.Node) -> bool:
    """No node reached twice (an alias) and at most ``MAX_DEPTH`` levels."""
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, int]] = [(node, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            todo.extend((part, depth + 1) for pair in node.value for part in pair)
    return True


def load_dumped_yaml(text: str, *, source: str | None = None) -> Any:
    """``load_yaml`` of front matter ``dump_front_matter`` wrote, read by libyaml (the same
    value, several times faster: a run lints every post it renders). Anything unexpected, from
    an error to an alias, is read by ``load_yaml`` instead, which says what is wrong."""
    if _DumpedLoader is not None and len(text) <= MAX_YAML_CHARS:
        loader = _DumpedLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None and _plain_tree(node):
                return loader.construct_document(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            pass
        finally:
            loader.dispose()
    return load_yaml(text, source=source)
