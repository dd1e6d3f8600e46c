"""The crash harness itself: a short run passes, and its check does notice a missing answer."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from app.progress.store import ProgressStore
from tests.conftest import PROJECT

HARNESS = PROJECT / "benchmarks" / "crash_test.py"


def load_harness():
    spec = importlib.util.spec_from_file_location("crash_test", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_short_crash_run_loses_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, str(HARNESS), "--trials", "3", "--seed", "1", "--dir", str(tmp_path)],
        capture_output=True, text=True, cwd=PROJECT,
    )  # fmt: skip
    lines = dict(line.split(": ") for line in result.stdout.splitlines())
    assert result.returncode == 0, result.stderr
    assert lines["trials run"] == "3"
    assert int(lines["answers acknowledged"]) > 0
    assert lines["answers lost"] == "0" and lines["integrity failures"] == "0"


def test_verify_counts_an_acknowledged_answer_that_is_missing(tmp_path):
    harness = load_harness()
    store = ProgressStore(tmp_path / "progress.db")
    learner = store.create_learner("crash-test", "en")
    kept = store.record_answer(learner.id, "crash-lesson", 1, "q1", '"a"', 1.0)
    store.close()
    assert harness.verify(tmp_path / "progress.db", {kept}) == (0, True)
    assert harness.verify(tmp_path / "progress.db", {kept, kept + 1}) == (1, True)
