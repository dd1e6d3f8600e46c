"""Crash test: kill a process that records answers, then check nothing acknowledged was lost.

Each trial starts a child process that opens a ``ProgressStore`` in one
database (the same file for every trial, so each trial also recovers what
the previous kill left behind) and records answers in a loop, printing each
answer's id (flushed) only after ``record_answer`` has returned. The parent
kills it with SIGKILL at a random moment, then opens the file with plain
``sqlite3`` and checks that every id the child ever printed is present and
that ``PRAGMA integrity_check`` says ok.

    python benchmarks/crash_test.py              # 200 trials
    python benchmarks/crash_test.py --trials 10  # a quick run for CI

Prints trials run, answers acknowledged, answers lost and integrity
failures; exits 1 if any answer was lost or any check failed.

A SIGKILL loses what the process had not handed to the operating system;
it does not test power loss (what ``synchronous=FULL`` is for).
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from pathlib import Path
from app.progress.store import ProgressStore

store = ProgressStore(Path(sys.argv[1]))
learner = store.find_learner("crash-test") or store.create_learner("crash-test", "en")
print("ready", flush=True)
number = 0
while True:
    number += 1
    answer_id = store.record_answer(learner.id, "crash-lesson", 1, f"q{number}", '"an answer"', 1.0, 1.5)
    print(answer_id, flush=True)  # acknowledged: the answer is committed
"""


def _kill(proc: subprocess.Popen) -> None:
    if sys.platform == "win32":
        proc.kill()  # TerminateProcess: as abrupt as it gets on Windows
    else:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def run_trial(db: Path, delay: float) -> set[int]:
    """One child, killed *delay* seconds after it is ready; returns the ids it acknowledged."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        # Read as fast as the child writes, so a full pipe never stalls it.
        for line in proc.stdout:
            if line == "ready\n":
                ready.set()
            elif line.endswith("\n"):  # a line cut by the kill was never acknowledged
                lines.append(line)
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ready.wait(timeout=60)
    time.sleep(delay)
    _kill(proc)
    reader.join()
    proc.stdout.close()
    return {int(line) for line in lines if line.strip().isdigit()}


def verify(db: Path, acknowledged: set[int]) -> tuple[int, bool]:
    """(answers lost, integrity ok) as a fresh, independent connection sees the file."""
    conn = sqlite3.connect(str(db))
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {row[0] for row in conn.execute("SELECT id FROM answers")}
    finally:
        conn.close()
    return len(acknowledged - present), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200, help="how many kills (default 200)")
    parser.add_argument("--max-delay", type=float, default=0.25,
                        help="longest wait before the kill, in seconds (default 0.25)")  # fmt: skip
    parser.add_argument("--seed", type=int, help="random seed, to repeat a run")
    parser.add_argument("--dir", type=Path, help="keep the database here instead of a temporary folder")
    args = parser.parse_args(argv)
    if args.trials < 1:
        parser.error("--trials must be at least 1")
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="lantern-crash-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "progress.db"
        acknowledged: set[int] = set()
        lost = integrity_failures = trials = 0
        for trials in range(1, args.trials + 1):
            acknowledged |= run_trial(db, rng.uniform(0, args.max_delay))
            missing, ok = verify(db, acknowledged)
            lost = max(lost, missing)  # cumulative: every acknowledged answer, ever
            integrity_failures += not ok
            if missing or not ok:
                print(f"trial {trials}: {missing} answer(s) missing, integrity {'ok' if ok else 'FAILED'}",
                      file=sys.stderr)  # fmt: skip
    print(f"trials run: {trials}")
    print(f"answers acknowledged: {len(acknowledged)}")
    print(f"answers lost: {lost}")
    print(f"integrity failures: {integrity_failures}")
    return 1 if lost or integrity_failures else 0


if __name__ == "__main__":
    sys.exit(main())
