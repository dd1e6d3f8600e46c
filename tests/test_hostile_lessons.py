"""Lesson files are untrusted input: a corpus of hostile files, each neutralised.

Every file in tests/hostile/ (and the huge ones made here in tmp_path) is put
into a library beside the good fixture lessons. Each must end in the problem
code, line and message listed below; the good lessons must still load; the
HTML the viewer receives must carry nothing active or remote; and the real
lesson screen must show it without reading outside files or the network.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument

from app.cli import main
from app.content.catalog import Library
from app.content.lesson import MAX_FILE_BYTES, MAX_LINE_CHARS, load_lesson
from app.content.problems import LessonError
from app.content.render import render_lesson

HOSTILE = Path(__file__).parent / "hostile"
FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
GOOD_LESSONS = {"every-type", "second"}

# file -> (code, line, words of the message). Files the loader refuses.
REFUSED = {
    "alias-bomb.en.md": ("FM004", 4, "aliases (*name) are not allowed"),
    "python-tag.en.md": ("FM004", 2, "could not determine a constructor"),
    "huge-number.en.md": ("FM004", 2, "a value that cannot be read"),
    "invalid-utf8.en.md": ("FILE004", 5, "not valid UTF-8"),
    "nul-byte.en.md": ("FILE005", 5, "NUL byte"),
    "terminal-escape.en.md": ("FILE008", 2, "control character U+001B"),
}
# Files that load but that the viewer refuses to render, with the reason.
RENDER_REFUSED = {
    "deep-list.en.md": ("MD004", 20, "nested 17 levels deep; the limit is 16"),
    "quoted-list.en.md": ("MD004", 19, "nested 17 levels deep; the limit is 16"),
    "deep-quote.en.md": ("MD004", 6, "nested 100 levels deep"),
    "nested-brackets.en.md": ("MD003", 6, "more than 200 `[`"),
    "html-nesting.en.md": ("MD005", 6, "more than 1,000 HTML tags"),
}
# Files that load and render with the dangerous parts removed: (code, line, words) each.
NEUTRALISED = {
    "script.en.md": [("HTML001", 6, "<script> is removed"), ("HTML001", 10, "<iframe> is removed")],
    "event-handlers.en.md": [
        ("HTML002", 6, "`onerror` of <img>"), ("HTML002", 8, "`onmouseover` of <p>"),
        ("HTML002", 10, "`onclick` of <a>"),
    ],
    "dangerous-urls.en.md": [("HTML002", 10, "`href` of <a>"), ("HTML002", 20, "`src` of <img>")],
    "remote-resources.en.md": [
        ("HTML002", 8, "`src` of <img>"), ("HTML001", 10, "<link> is removed"),
        ("HTML001", 12, "<style> is removed"), ("HTML002", 14, "`style` of <div>"),
        ("HTML002", 16, "`background` of <table>"),
    ],
    "path-traversal.en.md": [("HTML002", 10, "`src` of <img>")],
    "huge-attributes.en.md": [
        ("HTML002", 4, "`width` of <img>"), ("HTML002", 4, "`height` of <img>"),
        ("HTML002", 6, "`colspan` of <td>"), ("HTML002", 6, "`rowspan` of <td>"),
    ],
    "help-block-bomb.en.md": [("HELP001", 7, "help block must be YAML")],
    "marker-injection.en.md": [],
}  # fmt: skip
assert set(REFUSED) | set(RENDER_REFUSED) | set(NEUTRALISED) | {"shadow-id.en.md"} == {
    p.name for p in HOSTILE.glob("*.md")
}, "every file of the corpus has an expected outcome"


def library_with(tmp_path: Path, *hostile: Path) -> Path:
    """The good fixture track plus a `pack` track holding the hostile files."""
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURES / "basics", root / "basics")
    (root / "pack").mkdir()
    (root / "pack" / "_track.en.md").write_text("---\ntitle: A pack from somewhere\n---\n")
    for path in hostile:
        shutil.copyfile(path, root / "pack" / path.name)
    (root / "pack" / "pic.png").write_bytes(_png())
    return root


def _png() -> bytes:
    image = QImage(2, 2, QImage.Format_RGB32)
    image.fill(0xFF3366)
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def assert_safe(html: str) -> None:
    """Nothing active, nothing remote, no local file addresses."""
    lower = html.lower()
    assert "<script" not in lower and "<style" not in lower and "<link" not in lower and "<iframe" not in lower
    assert not re.search(r"<[^>]*\son\w+\s*=", lower), "an event handler attribute survived"
    assert not re.search(r"\sstyle\s*=", lower)
    for attribute, value in re.findall(r"\s(href|src|background)\s*=\s*[\"']?([^\"'\s>]*)", lower):
        assert not value.startswith(("javascript:", "data:", "file:", "vbscript:")), (attribute, value)
        if attribute != "href":
            assert not re.match(r"^([a-z][a-z0-9+.-]*:|//|\\\\|/)", value), f"remote or absolute {attribute}={value}"
        assert not value.startswith(("http:", "//", "\\\\")), (attribute, value)


def assert_good_lessons_load(library: Library) -> None:
    assert GOOD_LESSONS <= set(library.lessons)
    for lesson_id in GOOD_LESSONS:
        lesson = library.lesson(lesson_id, "en").item
        assert lesson.track == "basics"
        render_lesson(lesson)


# ------------------------------------------------------------------ the corpus, file by file


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_file_is_skipped_with_its_reason(tmp_path, name):
    library = Library.load(library_with(tmp_path, HOSTILE / name))
    code, line, words = REFUSED[name]
    [problem] = [p for p in library.broken if p.file.endswith(name)]
    assert (problem.code, problem.line) == (code, line)
    assert words in problem.message
    assert_good_lessons_load(library)


@pytest.mark.parametrize("name", sorted(RENDER_REFUSED))
def test_too_complex_text_is_refused_by_the_renderer(tmp_path, name):
    library = Library.load(library_with(tmp_path, HOSTILE / name))
    lesson = library.lesson(name.split(".")[0], "en").item
    code, line, words = RENDER_REFUSED[name]
    with pytest.raises(LessonError) as caught:
        render_lesson(lesson)
    assert (caught.value.problem.code, caught.value.problem.line) == (code, line)
    assert words in caught.value.problem.message
    assert_good_lessons_load(library)


@pytest.mark.parametrize("name", sorted(NEUTRALISED))
def test_dangerous_markup_is_removed_and_reported(tmp_path, name):
    library = Library.load(library_with(tmp_path, HOSTILE / name))
    lesson = library.lesson(name.split(".")[0], "en").item
    found = [(p.code, p.line) for p in lesson.problems]
    assert found == [(code, line) for code, line, _words in NEUTRALISED[name]]
    for problem, (_code, _line, words) in zip(lesson.problems, NEUTRALISED[name]):
        assert words in problem.message
    assert_safe(render_lesson(lesson))
    assert_good_lessons_load(library)


def test_the_script_and_handler_text_never_reaches_the_viewer():
    html = render_lesson(load_lesson(HOSTILE / "script.en.md"))
    assert "alert" not in html
    html = render_lesson(load_lesson(HOSTILE / "event-handlers.en.md"))
    assert "alert" not in html and '<img src="pic.png" alt="picture">' in html


def test_help_marker_written_by_an_author_is_not_replaced():
    html = render_lesson(load_lesson(HOSTILE / "marker-injection.en.md"))
    assert html.count('<table class="help"') == 1  # only the real help block
    assert '<a href="LANTERN-HELP-BLOCK-0">' in html  # the author's text stays inert text


def test_shadowing_another_lessons_id_is_ignored(tmp_path):
    library = Library.load(library_with(tmp_path, HOSTILE / "shadow-id.en.md"))
    [problem] = [p for p in library.broken if p.file.endswith("shadow-id.en.md")]
    assert (problem.code, problem.line) == ("ID001", 1)
    assert "lesson id `every-type` already belongs to track `basics`; this file is ignored" in problem.message
    assert library.lesson("every-type", "en").item.path.parent.name == "basics"
    assert_good_lessons_load(library)


# ------------------------------------------------------------------ huge files, made here


def test_ten_megabyte_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.en.md"
    with big.open("wb") as handle:
        handle.write(b"---\ntitle: Big\n---\n")
        handle.truncate(10 * 1024 * 1024)
    library = Library.load(library_with(tmp_path, big))
    [problem] = [p for p in library.broken if p.file.endswith("big.en.md")]
    assert problem.code == "FILE003"
    assert problem.message == f"file is 10240 KB; lessons may be at most {MAX_FILE_BYTES // 1024} KB"
    assert_good_lessons_load(library)


def test_million_character_line_is_refused(tmp_path):
    wide = tmp_path / "wide.en.md"
    wide.write_text("---\ntitle: Wide\n---\n" + "a" * 1_000_000 + "\n")
    with pytest.raises(LessonError) as caught:
        load_lesson(wide)
    assert caught.value.problem.code == "FILE003"  # a million characters is already too big a file
    long_line = tmp_path / "long-line.en.md"
    long_line.write_text("---\ntitle: Long line\n---\nfine\n" + "[" * (MAX_LINE_CHARS + 1) + "\n")
    library = Library.load(library_with(tmp_path, long_line))
    [problem] = [p for p in library.broken if p.file.endswith("long-line.en.md")]
    assert (problem.code, problem.line) == ("FILE006", 5)
    assert problem.message == f"line is {MAX_LINE_CHARS + 1} characters long; the limit is {MAX_LINE_CHARS}"
    assert_good_lessons_load(library)


def test_huge_and_deep_front_matter_is_refused(tmp_path):
    huge = tmp_path / "huge-front.en.md"
    huge.write_text("---\ntitle: Huge\n" + "".join(f"key{i}: {'x' * 60}\n" for i in range(400)) + "---\nbody\n")
    deep = tmp_path / "deep-front.en.md"
    deep.write_text("---\ntitle: Deep\nkey: " + "[" * 10_000 + "\n---\nbody\n")
    library = Library.load(library_with(tmp_path, huge, deep))
    problems = {Path(p.file).name: p for p in library.broken}
    assert (problems["huge-front.en.md"].code, problems["huge-front.en.md"].line) == ("FM003", 2)
    assert problems["huge-front.en.md"].message == "front matter is larger than 16 KB"
    assert (problems["deep-front.en.md"].code, problems["deep-front.en.md"].message) == (
        "FM004", "front matter is nested too deeply")  # fmt: skip
    assert_good_lessons_load(library)


def test_list_nested_hundreds_of_levels_is_refused_before_markdown_sees_it(tmp_path):
    # python-markdown slows down with every level and overflows its stack at about 250
    # (benchmarks/markdown_limits.py); the check stops at the 17th line.
    deep = tmp_path / "very-deep.en.md"
    deep.write_text("---\ntitle: Very deep\n---\n" + "\n".join("    " * i + "- x" for i in range(300)) + "\n")
    library = Library.load(library_with(tmp_path, deep))
    with pytest.raises(LessonError) as caught:
        render_lesson(library.lesson("very-deep", "en").item)
    assert (caught.value.problem.code, caught.value.problem.line) == ("MD004", 20)
    assert_good_lessons_load(library)


def test_reference_link_amplification_is_refused(tmp_path):
    amplified = tmp_path / "amplified.en.md"
    paragraphs = "\n\n".join(["[a][r] " * 50] * 10)  # 1,000 `[`: within MD003's limits
    amplified.write_text("---\ntitle: Amplified\n---\n[r]: https://example.org/" + "a" * 19_000 + "\n\n" + paragraphs)
    lesson = load_lesson(amplified)
    with pytest.raises(LessonError) as caught:
        render_lesson(lesson)
    assert caught.value.problem.code == "MD006"
    assert "characters of HTML (the limit is 2,000,000)" in caught.value.problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_posing_as_a_lesson_does_not_block(tmp_path):
    root = library_with(tmp_path)
    os.mkfifo(root / "pack" / "pipe.en.md")  # reading it would wait forever for a writer
    library = Library.load(root)
    [problem] = [p for p in library.broken if p.file.endswith("pipe.en.md")]
    assert (problem.code, problem.message) == ("FILE002", "not a regular file")
    assert_good_lessons_load(library)


# ------------------------------------------------------------------ the command line


def test_render_prints_the_sanitized_html(capsys):
    assert main(["lessons", "render", str(HOSTILE / "script.en.md")]) == 0
    out = capsys.readouterr().out
    assert_safe(out)
    assert out.startswith("<h1>Script tags</h1>") and "alert" not in out


def test_render_reports_a_refused_text_on_stderr(capsys):
    assert main(["lessons", "render", str(HOSTILE / "deep-quote.en.md")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        f"{HOSTILE / 'deep-quote.en.md'}:6: error MD004: lists, quotes or indentation are nested "
        "100 levels deep; the limit is 16"
    )


def test_render_with_locale_prints_the_translation_beside_the_file(capsys):
    assert main(["lessons", "render", str(FIXTURES / "basics" / "every-type.en.md"), "--locale", "zh-Hans"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<h1>每种题型</h1>")
    assert "学完这一课，你会：" in out  # the viewer's own heading, in that language
    assert main(["lessons", "render", str(FIXTURES / "basics" / "second.en.md"), "--locale", "zh-Hans"]) == 2
    assert "no such file" in capsys.readouterr().err


# ------------------------------------------------------------------ the real viewer


@pytest.fixture
def no_network(monkeypatch):
    """Fail on any attempt to open a connection from Python."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("Lantern never touches the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


VIEWABLE = sorted(set(NEUTRALISED) | set(RENDER_REFUSED))


def test_hostile_lessons_in_the_real_lesson_screen(qtbot, make_window, tmp_path, no_network):
    root = library_with(tmp_path, *(HOSTILE / name for name in VIEWABLE))
    secret = tmp_path / "outside-secret.png"
    secret.write_bytes(_png())
    window = make_window(lessons=root)
    window.session.create_learner("Ana")
    screen = window.go("lesson", lesson_id="every-type")
    browser = screen.browser
    blocked: list[str] = []
    browser.blocked.connect(blocked.append)
    for name in VIEWABLE:
        lesson_id = name.split(".")[0]
        window.go("lesson", lesson_id=lesson_id)
        assert window.current is screen and screen.lesson.id == lesson_id
        qtbot.waitUntil(lambda: browser.document().isEmpty() is False)
        shown = browser.document().toHtml()
        if name in RENDER_REFUSED:
            code, line, _words = RENDER_REFUSED[name]
            assert "This lesson cannot be shown." in browser.toPlainText()
            assert f":{line}: error {code}:" in browser.toPlainText()
        assert "alert(" not in browser.toPlainText()
        for url in re.findall(r'(?:src|href)="([^"]*)"', shown):
            assert not url.lower().startswith(("javascript:", "data:", "http:", "//")), (name, url)
        browser.grab()  # lay out and paint: this is when images are asked for
        # The window still responds: the lesson can be scrolled and left.
        qtbot.keyClick(browser, Qt.Key_End)
    assert "file:///etc/passwd" in blocked  # ../../../../../../etc/passwd, asked for and refused
    for url in blocked:
        # What Qt keeps for a refused resource is empty: nothing was read from outside.
        resource = browser.document().resource(QTextDocument.ImageResource, QUrl(url))
        assert resource is None or (isinstance(resource, QImage) and resource.isNull()), url
    assert no_network == []
    window.go("home")
    assert window.current.name == "home"


def test_viewer_serves_only_images_inside_the_library(qtbot, tmp_path):
    from app.ui.browser import LessonBrowser

    library = tmp_path / "lessons"
    (library / "track").mkdir(parents=True)
    inside = library / "track" / "pic.png"
    inside.write_bytes(_png())
    outside = tmp_path / "outside.png"
    outside.write_bytes(_png())
    (library / "track" / "escape.png").symlink_to(outside)  # inside by name, outside in fact
    (library / "track" / "alias.png").symlink_to(inside)  # a link that stays inside is fine
    stylesheet = tmp_path / "outside.css"
    stylesheet.write_text("p { color: red } SECRET")

    browser = LessonBrowser([library])
    qtbot.addWidget(browser)
    browser.set_lesson_html("<p>x</p>", library / "track")
    blocked: list[str] = []
    browser.blocked.connect(blocked.append)

    def load(url: str, kind=QTextDocument.ImageResource):
        return browser.loadResource(kind, QUrl(url))

    assert not load("pic.png").isNull()
    assert not load("alias.png").isNull()
    assert not load(QUrl.fromLocalFile(str(inside)).toString()).isNull()
    refused = [
        "https://evil.example/pixel.png",
        "http://evil.example/pixel.png",
        "file://evil-server/share/x.png",
        "//evil-server/share/x.png",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        QUrl.fromLocalFile(str(outside)).toString(),
        "../../outside.png",
        "escape.png",
        "missing.png",
    ]
    for url in refused:
        image = load(url)
        assert isinstance(image, QImage) and image.isNull(), url
    assert blocked == refused
    # A stylesheet is never read, and the answer is never None, which would let Qt read it itself.
    sheet = browser.document().resource(QTextDocument.StyleSheetResource, QUrl.fromLocalFile(str(stylesheet)))
    assert bytes(sheet) == b""
    data = browser.document().resource(QTextDocument.ImageResource, QUrl(refused[4]))
    assert isinstance(data, QImage) and data.isNull()


def test_links_other_than_https_and_mailto_are_never_opened(qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from app.ui.browser import LessonBrowser
    from app.ui.widgets import Ask

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    browser = LessonBrowser([])
    qtbot.addWidget(browser)
    blocked: list[str] = []
    browser.blocked.connect(blocked.append)
    Ask.answer = True  # the learner would say yes to anything
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "other.en.md", "http://x.example/"):
        browser.anchorClicked.emit(QUrl(url))
    browser.anchorClicked.emit(QUrl("https://www.example.org/"))
    assert opened == ["https://www.example.org/"]
    assert len(blocked) == 5
