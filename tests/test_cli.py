"""The `lantern` command: exit codes, output formats, snapshots, no-display message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import FIXTURE_LESSONS, PROJECT


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=PROJECT, env=full_env, timeout=120
    )


def test_bundled_lessons_check_clean(capsys):
    assert main(["lessons", "check", str(PROJECT / "lessons")]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_check_reports_broken_file_with_location_and_exit_1(capsys):
    assert main(["lessons", "check", str(FIXTURE_LESSONS / "broken")]) == 1
    out = capsys.readouterr().out
    assert "bad-yaml.en.md:3:6: error FM004:" in out


def test_check_json(capsys):
    assert main(["lessons", "check", "--json", str(FIXTURE_LESSONS / "broken" / "bad-yaml.en.md")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["problems"][0]["code"] == "FM004"
    assert data["problems"][0]["line"] == 3


def test_usage_errors_exit_2(capsys):
    assert main(["lessons", "check", "/no/such/path"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["lessons", "frobnicate"])
    assert exc.value.code == 2


def test_lessons_show_json_has_questions(capsys):
    path = FIXTURE_LESSONS / "basics" / "every-type.en.md"
    assert main(["lessons", "show", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "every-type" and data["title"] == "Every question type"
    types = [q["type"] for q in data["questions"]]
    assert types == ["single_choice", "multiple_choice", "true_false", "short_answer", "numerical",
                     "matching", "single_choice", "essay", "description"]
    first = data["questions"][0]
    assert set(first) == {"type", "name", "id", "line", "text", "format", "general_feedback",
                          "category", "tags", "idnumber", "answers"}
    assert first["line"] == 22  # the line in the lesson file, not in the block


def test_gift_parse_json(tmp_path, capsys):
    quiz = tmp_path / "q.gift"
    quiz.write_text("::a:: 2+2? {#4}\n\n::b:: Sky is blue {true}\n", encoding="utf-8")
    assert main(["gift", "parse", "--json", str(quiz)]) == 0  # a warning is not an error
    data = json.loads(capsys.readouterr().out)
    assert data["questions"][0]["type"] == "numerical"
    assert data["questions"][0]["answers"][0]["value"] == 4
    assert any(p["severity"] == "warning" and p["line"] == 3 for p in data["problems"])


def test_render_prints_sanitized_html(tmp_path, capsys):
    lesson = tmp_path / "t" / "x.en.md"
    lesson.parent.mkdir()
    lesson.write_text("---\ntitle: X\n---\nHi <script>alert(1)</script> [a](javascript:alert(1))\n", encoding="utf-8")
    assert main(["lessons", "render", str(lesson)]) == 0
    out = capsys.readouterr().out
    assert "<h1>X</h1>" in out and "<script" not in out and "javascript:" not in out


def test_snapshot_writes_png(tmp_path):
    out = tmp_path / "home.png"
    result = run("snapshot", "home", "--locale", "zh-Hans", "--out", str(out),
                 env={"LANTERN_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "data" / "progress.db").exists()  # demo data lives in a throw-away folder


def test_no_display_prints_one_line_instead_of_aborting(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["LANTERN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "app"], capture_output=True, text=True, cwd=PROJECT,
                            env=env, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "QT_QPA_PLATFORM=offscreen" in lines[0]
