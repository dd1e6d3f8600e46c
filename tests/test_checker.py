"""`lantern lessons check`: a corpus of broken files, each with the exact line and code expected."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli import main
from app.content.checker import check_paths

CORPUS = Path(__file__).parent / "checker_corpus"
PROJECT = Path(__file__).parent.parent


def _expected() -> set[tuple[str, int, str, str]]:
    found = set()
    for line in (CORPUS / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        where, severity, code = line.split()
        file, number = where.rsplit(":", 1)
        found.add((file, int(number), severity, code))
    return found


@pytest.fixture
def corpus_help(monkeypatch):
    """The corpus's own help directory (regions CN and GB; no channel covers privacy)."""
    monkeypatch.setenv("LANTERN_LESSONS_DIR", str(CORPUS))


def _found(root: str) -> set[tuple[str, int, str, str]]:
    return {
        (Path(p.file).relative_to(CORPUS).as_posix(), p.line, p.severity.value, p.code)
        for p in check_paths([CORPUS / root])
    }


def test_corpus_finds_exactly_the_expected_problems(corpus_help):
    found = _found("files") | _found("translations")
    expected = _expected()
    assert found - expected == set(), "unexpected problems"
    assert expected - found == set(), "problems not found"


def test_every_corpus_file_has_at_least_one_expected_problem(corpus_help):
    expected_files = {file for file, *_ in _expected()}
    for path in sorted(CORPUS.rglob("*.md")):
        rel = path.relative_to(CORPUS).as_posix()
        if path.name.startswith("_track.") or rel.startswith("translations/") and not path.name.endswith(".zh-Hans.md"):
            continue  # sources of translation cases, and track files, are not cases themselves
        assert rel in expected_files, rel


def test_one_track_folder_is_checked_on_its_own(corpus_help):
    problems = check_paths([CORPUS / "translations" / "course"])
    assert {p.code for p in problems} >= {"TR001", "TR002", "TR003", "TR004", "TR005", "TR006", "TR007"}
    single = check_paths([CORPUS / "files" / "course" / "links.en.md"])
    assert [(p.line, p.code) for p in single] == [
        (15, "LINK002"), (16, "LINK001"), (16, "LINK003"), (17, "LINK003"),
        (19, "IMG001"), (21, "IMG002"), (23, "IMG002"),
    ]  # fmt: skip


def test_cli_prints_file_line_code_and_exits_1_on_errors(corpus_help, capsys):
    code = main(["lessons", "check", str(CORPUS / "files" / "course" / "regions.en.md")])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1
    assert out == [
        f"{CORPUS}/files/course/regions.en.md:3: error REG001: region `ZZ` has no help directory (known: CN, GB)"
    ]


def test_cli_json_and_warnings_only_exit_0(corpus_help, capsys):
    code = main(["lessons", "check", "--json", str(CORPUS / "files" / "course" / "unknown-key.en.md")])
    data = json.loads(capsys.readouterr().out)
    assert code == 0  # warnings do not fail the check
    assert [(p["line"], p["severity"], p["code"]) for p in data["problems"]] == [
        (1, "warning", "FM020"), (3, "warning", "FM010")
    ]
    assert "did you mean `summary`" in data["problems"][1]["message"]


def test_cli_usage_error_exits_2(capsys):
    assert main(["lessons", "check", "no/such/folder"]) == 2


def test_committed_course_has_no_problems(tmp_path):
    """The bundled course as committed (work in progress in the tree is not judged here)."""
    import shutil
    import subprocess

    try:
        tracked = subprocess.run(["git", "ls-files", "lessons"], cwd=PROJECT, capture_output=True, text=True,
                                 check=True).stdout.split()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    for name in tracked:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT / name, target)
    assert [p.format() for p in check_paths([tmp_path / "lessons"])] == []


def test_every_code_is_documented(corpus_help):
    """Each code the checker, loader or GIFT parser can report has an entry in the docs."""
    docs = (PROJECT / "docs" / "checker-codes.md").read_text() + (PROJECT / "docs" / "gift.md").read_text()
    documented = set(re.findall(r"^\| `?([A-Z]+[0-9]{3})`? \|", docs, re.M))
    sources = "".join((PROJECT / "app" / "content" / name).read_text()
                      for name in ("checker.py", "lesson.py", "render.py", "catalog.py"))  # fmt: skip
    used = set(re.findall(r'"((?:FILE|FM|MD|HELP|Q|ID|SRC|TR|FB|LINK|IMG|REG)[0-9]{3})"', sources))
    assert {code for *_, code in _expected()} <= documented
    assert used - documented == set()


def test_regional_variant_does_not_require_every_lesson_in_that_region(tmp_path):
    """escalate.es-MX.md beside escalate.es.md: other lessons in es are enough (learners fall back)."""
    from app.content.scaffold import new_lesson

    for slug in ("first", "second"):
        new_lesson(tmp_path, "course", slug)
        new_lesson(tmp_path, "course", slug, "es")
    track = tmp_path / "course"
    (track / "first.es-MX.md").write_text((track / "first.es.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert check_paths([tmp_path]) == []
    (track / "second.es.md").unlink()
    assert [(Path(p.file).name, p.code) for p in check_paths([tmp_path])] == [("second.en.md", "TR004")]
