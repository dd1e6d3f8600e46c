"""Parsing many lesson files on two processors: a worker process beside the app's own.

A first start with a big library (or after many lessons changed) parses
thousands of files, about half a millisecond each, all in Python. ``ParseAhead``
shares them with one worker process (``python -m app.content.parse_ahead``):
the files are cut into chunks; the worker takes chunks from the front, and the
library's loader, which needs each file's result in file order, takes chunks
from the back while it waits for one the worker is still on, so both
processors work until the end. Nothing depends on the worker: if it cannot
start, is slow, or dies, the app's process parses whatever is left, exactly as
it would without it, and a file's result is the same in either process (the
same code; the worker's results are pickled back). The worker sends each lesson
in the catalog cache's own form, its light fields plus its body, help blocks
and questions already pickled: the app unpickles those only when the lesson is
used, and stores them in the cache as they came (unpickling and pickling them
again took about 0.2 s of a 1.6 s cold load of 5,000 files).

The worker is a plain child process with a pipe, not ``multiprocessing``, which
would run the parent's main script again in the child. Below ``MIN_FILES``
files a worker costs more to start (about 0.1 s) than it saves, so none is
started. Nothing here imports Qt.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger("lantern.parse_ahead")

MIN_FILES = 400
CHUNK = 40  # files per piece of work: small enough to share the end fairly, big enough to pickle cheaply
_SIZE = struct.Struct("<Q")
_LOCAL = object()  # "parse this chunk here": the worker could not
WORKER = ["-P", "-m", "app.content.parse_ahead"]  # after the interpreter; -P: this package, not one in the cwd


def parse_files(paths: list[Path]) -> list:
    """Each file parsed as the library parses it: (its digest, the Lesson, Track or Problem it holds)."""
    from app.content.catalog import Library

    return [Library._parse(path) for path in paths]


def _packed(results: list) -> list:
    """The worker's answer: each lesson as its light fields and its pickled heavy parts (the cache's
    own form), so the app neither unpickles a body before it is used nor pickles it again for the cache."""
    from app.content.cache import heavy_blob, light_fields
    from app.content.lesson import Lesson

    return [(digest, light_fields(item), heavy_blob(item)) if isinstance(item, Lesson) else (digest, item, None)
            for digest, item in results]  # fmt: skip


def _unpacked(packed: list, paths: list[Path]) -> list:
    from app.content.cache import lesson_from_parts

    return [(digest, item if blob is None else lesson_from_parts(item, blob, path))
            for (digest, item, blob), path in zip(packed, paths)]  # fmt: skip


class ParseAhead:
    """The parsed items of *paths*, taken one by one, in order, with :meth:`take`."""

    def __init__(self, paths: list[Path]):
        self._lock = threading.Condition()
        self._done: dict[int, list] = {}  # chunk number → its items (or _LOCAL)
        self.by_worker = 0  # chunks the worker parsed (tests and benchmarks look)
        self._process = None
        self._chunks: list[list[Path]] = []
        self._chunk_of: dict[Path, tuple[int, int]] = {}  # path → (chunk, place); empty: the caller parses all
        if len(paths) >= MIN_FILES and (os.cpu_count() or 1) >= 2 and not getattr(sys, "frozen", False):
            self._chunks = [paths[at:at + CHUNK] for at in range(0, len(paths), CHUNK)]
            self._chunk_of = {path: (number, place) for number, chunk in enumerate(self._chunks)
                              for place, path in enumerate(chunk)}  # fmt: skip
        self._front, self._back = 0, len(self._chunks)  # chunks [front, back) are nobody's yet
        if self._chunks and not self._start():
            self._chunks, self._chunk_of, self._back = [], {}, 0

    # ------------------------------------------------------------ the worker

    def _start(self) -> bool:
        import app

        env = dict(os.environ)
        package_root = str(Path(app.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            self._process = subprocess.Popen([sys.executable, *WORKER], env=env,
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL)  # fmt: skip
        except OSError as exc:
            log.warning("parse_ahead.no_worker error=%s", exc)
            return False
        threading.Thread(target=self._feed, name="parse-ahead", daemon=True).start()
        return True

    def _claim_front(self) -> int | None:
        with self._lock:
            if self._front >= self._back:
                return None
            self._front += 1
            return self._front - 1

    def _claim_back(self) -> int | None:
        with self._lock:
            if self._front >= self._back:
                return None
            self._back -= 1
            return self._back

    def _feed(self) -> None:
        """Hand the worker one chunk at a time from the front and collect what it sends back."""
        process = self._process
        number = None
        try:
            while (number := self._claim_front()) is not None:
                _send(process.stdin, [str(path) for path in self._chunks[number]])
                packed = _receive(process.stdout)
                if len(packed) != len(self._chunks[number]):
                    raise ValueError("the worker sent a wrong number of items")
                self._finish(number, _unpacked(packed, self._chunks[number]))
                self.by_worker += 1
                number = None
        except Exception as exc:  # noqa: BLE001 - the loader parses the rest itself
            log.warning("parse_ahead.worker_failed error=%s", exc)
            if number is not None:
                self._finish(number, _LOCAL)
            self._give_back()
        finally:
            self._stop_worker()

    def _finish(self, number: int, items) -> None:
        with self._lock:
            self._done[number] = items
            self._lock.notify_all()

    def _give_back(self) -> None:
        """After a failure: every unclaimed chunk is the loader's (the back pointer meets the front)."""
        with self._lock:
            self._back = self._front
            self._lock.notify_all()

    def _stop_worker(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    # ------------------------------------------------------------ the loader's side

    def take(self, path: Path):
        """(digest, item) of *path* as :func:`parse_files` gives them, or None when it is not one of
        *paths* (the caller parses it)."""
        found = self._chunk_of.get(path)
        if found is None:
            return None
        number, place = found
        while True:
            with self._lock:
                if number in self._done:
                    items = self._done[number]
                    break
                mine = number >= self._back or (number == self._front and self._claim_front_locked())
            if mine:  # not handed to the worker: parse it here, in order
                items = self._done.setdefault(number, parse_files(self._chunks[number]))
                break
            stolen = self._claim_back()
            if stolen is not None:  # the worker is on this chunk: meanwhile parse one from the back
                self._finish(stolen, parse_files(self._chunks[stolen]))
                continue
            with self._lock:
                self._lock.wait_for(lambda: number in self._done)
        if items is _LOCAL:
            items = self._done[number] = parse_files(self._chunks[number])
        return items[place]

    def _claim_front_locked(self) -> bool:
        self._front += 1
        return True

    def close(self) -> None:
        """Stop handing out work (the worker finishes its chunk and exits)."""
        self._give_back()


def _send(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_SIZE.pack(len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(_SIZE.size)
    if len(header) < _SIZE.size:
        raise EOFError("the worker stopped")
    (size,) = _SIZE.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the worker stopped")
    return pickle.loads(data)  # noqa: S301 - our own child process, answering our request


def _serve(stdin, stdout) -> None:
    """The worker: parse each chunk of paths it is sent, answer with the items, until its input ends."""
    while True:
        try:
            paths = _receive(stdin)
        except EOFError:
            return
        _send(stdout, _packed(parse_files([Path(p) for p in paths])))


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
