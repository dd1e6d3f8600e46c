"""Front matter read by libyaml where it cannot differ: the same values, or the Python loader's own error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.content import lesson as lesson_module
from app.content.lesson import _load_yaml, _NoAliasLoader, parse_lesson

HERE = Path(__file__).parent


def reference(text: str):
    """What the Python loader gives: the value, or the error's kind, words and place."""
    try:
        return ("ok", yaml.load(text, Loader=_NoAliasLoader))  # noqa: S506 - safe subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("error", type(exc), exc.problem, mark and (mark.line, mark.column))
    except Exception as exc:  # noqa: BLE001
        return ("error", type(exc), str(exc))


def fast(text: str):
    try:
        return ("ok", _load_yaml(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("error", type(exc), exc.problem, mark and (mark.line, mark.column))
    except Exception as exc:  # noqa: BLE001
        return ("error", type(exc), str(exc))


scalar = st.one_of(
    st.text(alphabet=st.sampled_from("ab Z:#-'\"?,[]{}|>%@`é骗 \t0123456789.eE+_~"), max_size=12),
    st.sampled_from(["yes", "no", "null", "~", "0x1F", "1_000", "2024-13-01", "2024-02-03", "1e400", ".nan",
                     "0o17", "[CN, HK]", "{a: 1}", "'quoted'", '"a\\u00e9"', "- x", "|", ">-", "&a x", "*a"]),
)
line = st.tuples(st.sampled_from(["", " ", "  ", "    ", "  - ", "- "]),
                 st.sampled_from(["title", "summary", "order", "regions", "objectives", "x y", "?", ""]),
                 st.sampled_from([": ", ":", " : ", ""]), scalar).map("".join)
documents = st.lists(line, max_size=8).map("\n".join)


@settings(max_examples=1500, deadline=None)
@given(documents)
def test_libyaml_path_gives_what_the_python_loader_gives(text):
    assert fast(text) == reference(text)


def _front_matters():
    for folder in (HERE.parent / "lessons", HERE / "fixtures" / "lessons", HERE / "hostile", HERE / "checker_corpus"):
        for path in sorted(folder.rglob("*.md")):
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            lines = text.split("\n")
            end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
            if lines and lines[0].rstrip() == "---" and end:
                yield path, "\n".join(lines[1:end])


def test_every_front_matter_in_the_repository_reads_the_same():
    checked = 0
    for path, text in _front_matters():
        assert fast(text) == reference(text), path
        checked += 1
    assert checked > 150


def test_aliases_tags_and_deep_nesting_are_left_to_the_python_loader(monkeypatch):
    calls = []
    real = yaml.load
    monkeypatch.setattr(lesson_module.yaml, "load", lambda text, Loader: calls.append(Loader) or real(text, Loader))
    for text in ("a: &x 1\nb: *x", "a: !!python/name:os.system x", "a: " + "[" * 70 + "]" * 70, "title: ok"):
        calls.clear()
        try:
            _load_yaml(text)
        except yaml.YAMLError:
            pass  # refused, by the Python loader
        assert calls[-1] is _NoAliasLoader or text == "title: ok"
    assert calls == [yaml.CSafeLoader]


@pytest.mark.parametrize("front", ["title: [unclosed", "title: a\n  b: c", "title: 'x\n", "- a\nb: c", "title: a: b"])
def test_broken_front_matter_messages_come_from_the_python_loader(front, tmp_path):
    from app.content.problems import LessonError

    path = tmp_path / "x.en.md"
    with pytest.raises(LessonError) as fast_error:
        parse_lesson(f"---\n{front}\n---\nBody\n", path)
    try:
        yaml.load(front, Loader=_NoAliasLoader)  # noqa: S506 - safe subclass
    except yaml.MarkedYAMLError as exc:
        assert exc.problem in fast_error.value.problem.message
        assert fast_error.value.problem.line == exc.problem_mark.line + 2
