"""``lantern`` / ``python -m app``: the app and its command-line tools.

Exit codes everywhere: 0 ok, 1 problems found, 2 usage error.
Heavy modules (Qt above all) are imported only by the commands that need them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse  # imported by build_parser(): plain `lantern` opens the window without it

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
def _screen_names() -> list[str]:
    """Every registered screen (the registry imports no Qt)."""
    from app.ui.screens import SCREENS as registry

    return [spec.split(":")[0].rsplit(".", 1)[1] for spec in registry]


def _print_json(data) -> None:
    import json

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class _Usage(Exception):
    pass


# ---------------------------------------------------------------- lessons


def _cmd_lessons_check(args) -> int:
    from app.content.checker import check_paths

    paths = [Path(p) for p in args.paths] or [_lessons_dir()]
    for p in paths:
        if not p.exists():
            raise _Usage(f"no such file or folder: {p}")
    problems = check_paths(paths)
    if args.json:
        _print_json({"problems": [p.to_json() for p in problems]})
    else:
        for p in problems:
            print(p.format())
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK


def _load_one(path: Path):
    from app.content.lesson import load_lesson

    if not path.is_file():
        raise _Usage(f"no such file: {path}")
    return load_lesson(path)


def _cmd_lessons_show(args) -> int:
    from app.content.problems import LessonError

    try:
        lesson = _load_one(Path(args.file))
    except LessonError as exc:
        if args.json:
            _print_json({"problems": [exc.problem.to_json()]})
        else:
            print(exc.problem.format())
        return EXIT_PROBLEMS
    if args.json:
        _print_json(lesson.to_json())
    else:
        print(f"{lesson.title} ({lesson.id}, {lesson.locale}, track {lesson.track})")
        for q in lesson.questions:
            print(f"  [{q.type}] {q.id}: {q.text[:70]}")
        for p in lesson.problems:
            print(p.format())
    return EXIT_PROBLEMS if any(p.is_error for p in lesson.problems) else EXIT_OK


def _cmd_lessons_render(args) -> int:
    from app.content.problems import LessonError
    from app.content.render import render_lesson

    path = Path(args.file)
    if args.locale:
        from app import i18n
        from app.content.lesson import split_name

        try:
            slug, _locale = split_name(path)
        except LessonError as exc:
            raise _Usage(exc.problem.message)
        path = path.with_name(f"{slug}.{args.locale}.md")  # the translation beside the file
        i18n.set_locale(args.locale)  # the viewer's own words (headings) in that language too
    try:
        lesson = _load_one(path)
        sys.stdout.write(render_lesson(lesson) + "\n")
    except LessonError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


# ---------------------------------------------------------------- gift


def _cmd_gift_parse(args) -> int:
    from app.content.gift import parse_gift
    from app.content.lesson import read_text
    from app.content.problems import LessonError

    path = Path(args.file)
    if not path.is_file():
        raise _Usage(f"no such file: {path}")
    try:
        text = read_text(path)
    except LessonError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    result = parse_gift(text, file=str(path))
    if args.json:
        _print_json(
            {
                "questions": [q.to_json() for q in result.questions],
                "problems": [
                    {"line": p.line, "severity": p.severity.value, "message": p.message, "code": p.code}
                    for p in result.problems
                ],
            }
        )
    else:
        for q in result.questions:
            print(f"{path}:{q.line}: {q.type} {q.id}")
        for p in result.problems:
            print(p.format())
    return EXIT_PROBLEMS if any(p.is_error for p in result.problems) else EXIT_OK


def _cmd_gift_export(args) -> int:
    from app.content.catalog import Library
    from app.content.gift import write_gift
    from app.content.problems import LessonError

    target = Path(args.source)
    if target.is_file():
        try:
            lessons = [_load_one(target)]
        except LessonError as exc:
            print(exc.problem.format(), file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        library = Library.load(_lessons_dir())
        track_id = target.name
        if track_id not in library.track_ids(include_checks=True):
            raise _Usage(f"{args.source} is neither a lesson file nor a track id")
        lessons = []
        for lesson_id in library.lesson_ids(track_id):
            resolved = library.lesson(lesson_id, args.locale)
            if resolved:
                lessons.append(resolved.item)
    questions = []
    for lesson in lessons:
        for q in lesson.questions:
            q.category = f"{lesson.track}/{lesson.id}"
            q.name = q.name or q.id  # Moodle's question name is Lantern's id
            questions.append(q)
    text = write_gift(questions)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


# ---------------------------------------------------------------- i18n


def _cmd_i18n(args) -> int:
    from app import i18n_tools

    return i18n_tools.run(args.action, args)


# ---------------------------------------------------------------- gui


def _cmd_snapshot(args) -> int:
    from app.ui.snapshot import snapshot

    return snapshot(args.screen, args.locale, Path(args.out), lesson_id=args.lesson, region=args.region,
                    kiosk=args.kiosk)  # fmt: skip


def _cmd_run(args) -> int:
    from app.ui.application import run_app

    return run_app(locale=getattr(args, "locale", None))


def _cmd_kiosk(args) -> int:
    from app.kiosk import KioskConfigError, load_config
    from app.ui.application import run_app

    try:
        config = load_config(Path(args.config) if args.config else None)
    except KioskConfigError as exc:
        print(f"lantern: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return run_app(locale=getattr(args, "locale", None), kiosk_config=config)


def _cmd_admin_set_pin(args) -> int:
    """Read the admin PIN from standard input (never from the command line, which logs it)."""
    from app import paths
    from app.progress import kiosk_data, pins
    from app.progress.store import ProgressStore

    pin = sys.stdin.readline().strip()
    try:
        pins.check_format(pin, pins.ADMIN_PIN_DIGITS)
    except pins.PinFormatError as exc:
        print(f"lantern: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = ProgressStore(paths.database_path())
    try:
        kiosk_data.set_admin_pin(store, pin)
    finally:
        store.close()
    print("admin PIN set")
    return EXIT_OK


def _lessons_dir() -> Path:
    from app import paths

    return paths.lessons_dir()


# ---------------------------------------------------------------- data


def _data_store():
    """The learner database for the data commands (logging to the data folder's log), or None."""
    from app import logs, paths
    from app.progress.db import DatabaseTooNew
    from app.progress.store import ProgressStore

    path = paths.database_path()
    if not path.exists():
        print(f"lantern: there is no progress database yet at {path}", file=sys.stderr)
        return None
    logs.setup(paths.data_dir())
    try:
        store = ProgressStore(path)
    except DatabaseTooNew as exc:
        print(f"lantern: {exc}", file=sys.stderr)
        return None
    logs.set_secret_source(lambda: [l.nickname for l in store.learners(include_guests=True)])
    return store


def _data_lock():
    """The data folder's lock, so nothing changes under a running Lantern; None if it is open."""
    from app import paths
    from app.ui.application import acquire_lock

    lock = acquire_lock(paths.data_dir())
    if lock is None:
        print("lantern: Lantern is open on this data folder; close it first, then try again", file=sys.stderr)
    return lock


def _find_learner(store, nickname: str):
    """The learner called *nickname*, or None after saying so on standard error."""
    learner = store.find_learner(nickname)
    if learner is None:
        print(f"lantern: no learner with the nickname {nickname!r}", file=sys.stderr)
    return learner


def _cmd_data_export(args) -> int:
    from app.progress import privacy

    store = _data_store()
    if store is None:
        return EXIT_PROBLEMS
    try:
        learner = _find_learner(store, args.learner)
        if learner is None:
            return EXIT_PROBLEMS
        if args.output:
            for written in privacy.write_export(store, learner.id, Path(args.output)):
                print(written)
        else:
            _print_json(privacy.export_learner(store, learner.id))
    finally:
        store.close()
    return EXIT_OK


def _cmd_data_delete(args) -> int:
    from app.progress import privacy

    lock = _data_lock()
    if lock is None:
        return EXIT_PROBLEMS
    store = _data_store()
    try:
        if store is None:
            return EXIT_PROBLEMS
        learner = _find_learner(store, args.learner)
        if learner is None:
            return EXIT_PROBLEMS
        if not args.yes:
            if not sys.stdin.isatty():
                raise _Usage("add --yes to erase without being asked (standard input is not a terminal)")
            reply = input(f"Erase everything about {learner.nickname}, including from backups? Type yes: ")
            if reply.strip().lower() != "yes":
                print("Nothing was erased.")
                return EXIT_PROBLEMS
        report = privacy.erase_learner(store, learner.id)
        rows = ", ".join(f"{table} {count}" for table, count in sorted(report.rows.items()))
        print(f"erased {args.learner!r}: rows deleted: {rows}")
        print(f"removed from {report.backups_purged} backup(s); {report.backups_deleted} backup(s) that could "
              f"not be cleaned were deleted; {report.damaged_deleted} damaged file(s) deleted")  # fmt: skip
    finally:
        if store is not None:
            store.close()
        lock.unlock()
    return EXIT_OK


def _cmd_data_backup(args) -> int:
    from app.progress.backup import make_backup

    lock = _data_lock()
    if lock is None:
        return EXIT_PROBLEMS
    store = _data_store()
    try:
        if store is None:
            return EXIT_PROBLEMS
        print(make_backup(store.conn, store.path).path)
    finally:
        if store is not None:
            store.close()
        lock.unlock()
    return EXIT_OK


def _cmd_data_restore(args) -> int:
    from app import paths
    from app.progress import backup

    db_path = paths.database_path()
    if args.list or not args.backup:
        found = backup.list_backups(db_path)
        if args.json:
            _print_json([{"name": b.name, "created": b.created.isoformat(), "label": b.label,
                          "bytes": b.path.stat().st_size} for b in found])  # fmt: skip
        elif not found:
            print(f"no backups yet in {backup.backups_dir(db_path)}", file=sys.stderr)
        for b in [] if args.json else found:
            print(f"{b.name}  {b.created:%Y-%m-%d %H:%M} UTC  {b.path.stat().st_size} bytes  {b.label}".rstrip())
        return EXIT_OK
    try:
        source = backup.find_backup(db_path, args.backup)
    except backup.BackupError as exc:
        raise _Usage(str(exc)) from exc
    lock = _data_lock()
    if lock is None:
        return EXIT_PROBLEMS
    try:
        previous = backup.restore(source, db_path)
    except backup.BackupError as exc:
        print(f"lantern: {exc}; nothing was changed", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        lock.unlock()
    print(f"restored {source.name}")
    if previous is not None:
        print(f"the database it replaced was kept as {previous}")
    return EXIT_OK


# ---------------------------------------------------------------- authoring, packs, reports


def _cmd_lessons_new(args) -> int:
    from app.content.scaffold import ScaffoldError, new_lesson

    try:
        written = new_lesson(Path(args.root) if args.root else _lessons_dir(), args.track, args.slug, args.locale)
    except ScaffoldError as exc:
        raise _Usage(str(exc))
    for path in written:
        print(path)
    return EXIT_OK


def _cmd_preview(args) -> int:
    from app.ui.preview import run_preview

    path = Path(args.file)
    if not path.is_file():
        raise _Usage(f"no such file: {path}")
    return run_preview(path)


def _cmd_gift_import(args) -> int:
    from app.content.lesson import read_text
    from app.content.problems import LessonError
    from app.content.scaffold import ImportRefused, append_questions

    gift_path, lesson_path = Path(args.file), Path(args.lesson)
    for path in (gift_path, lesson_path):
        if not path.is_file():
            raise _Usage(f"no such file: {path}")
    try:
        result = append_questions(lesson_path, read_text(gift_path), str(gift_path))
    except LessonError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    except ImportRefused as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"lantern: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for problem in result.problems:
        print(problem.format(), file=sys.stderr)
    for q in result.questions:
        print(f"{lesson_path}:{q.line}: added {q.type} {q.id}")
    return EXIT_OK


def _cmd_report(args) -> int:
    from app import paths
    from app.content.catalog import Library
    from app.progress import reports
    from app.progress.store import ProgressStore

    library = Library.load(_lessons_dir(), extra_roots=paths.installed_pack_roots())
    lessons = reports.library_lessons(library, args.locale)
    if args.lesson:
        lessons = [lesson for lesson in lessons if lesson.id == args.lesson]
        if not lessons:
            raise _Usage(f"no lesson with the id {args.lesson!r}")
    database = paths.database_path()
    if not database.exists():
        print(f"lantern: there is no progress database yet at {database}", file=sys.stderr)
        return EXIT_PROBLEMS
    store = ProgressStore(database)
    try:
        stats = reports.course_stats(store.conn, lessons, with_questions=bool(args.lesson) or args.json)
    finally:
        store.close()
    if args.json:
        _print_json({"lessons": [s.to_json() for s in stats]})
        return EXIT_OK
    headers, rows = reports.question_table(stats[0]) if args.lesson else reports.lesson_table(stats)
    if args.csv:
        text = reports.to_csv(headers, rows)
        if args.output:
            reports.write_csv(args.output, headers, rows)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    widths = [max(len(str(h)), *(len("" if r[i] is None else str(r[i])[:50]) for r in rows)) for i, h in enumerate(headers)]
    for row in [headers, *rows]:
        print("  ".join(("" if c is None else str(c)[:50]).ljust(w) for c, w in zip(row, widths)).rstrip())
    return EXIT_OK


def _cmd_pack(args) -> int:
    from app.content import packs

    try:
        if args.action == "build":
            out = Path(args.output or Path(args.folder).name + packs.SUFFIX)
            manifest = packs.build_pack(Path(args.folder), out)
            print(f"{out}: {manifest.id} {manifest.version}, {len(manifest.files)} files, "
                  f"languages {', '.join(manifest.languages)}")  # fmt: skip
        elif args.action == "install":
            if not Path(args.file).is_file():
                raise _Usage(f"no such file: {args.file}")
            result = packs.install_pack(Path(args.file), force=args.force)
            upgraded = f" (upgraded from {result.replaced})" if result.replaced else ""
            print(f"installed {result.manifest.id} {result.manifest.version}{upgraded} in {result.path}")
        elif args.action == "uninstall":
            removed = packs.uninstall_pack(args.id)
            print(f"uninstalled {removed.id} {removed.version}")
        else:
            found = packs.installed()
            if args.json:
                _print_json({"packs": [m.to_json() for m in found]})
            for m in [] if args.json else found:
                print(f"{m.id} {m.version}  {m.title}  ({', '.join(m.languages)})")
    except packs.PackError as exc:
        print(f"lantern: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


# ---------------------------------------------------------------- search


def _cmd_search(args) -> int:
    from app import i18n, paths
    from app.content.catalog import Library
    from app.content.search import build_index
    from app.i18n import content_locale

    query = " ".join(args.query).strip()
    if not query:
        raise _Usage("the search text is empty")
    try:
        locale = i18n.normalize(args.locale)
    except ValueError as exc:
        raise _Usage(str(exc))
    region = args.region.upper() if args.region else None
    library = Library.load(_lessons_dir(), extra_roots=paths.installed_pack_roots())
    results = build_index(library).search(query, content_locale(locale, region), region, limit=args.limit)
    if args.json:
        _print_json({"query": query, "locale": locale, "region": region, "results": [r.to_json() for r in results]})
        return EXIT_OK
    for r in results:
        language = f" [{r.locale}]" if r.is_fallback else ""
        print(f"{r.lesson_id} ({r.track}){language}: {r.marked(r.title, r.title_spans)}")
        print(f"    {r.marked()}")
    print(f"{len(results)} lesson(s)", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- certificates


def _cmd_certificate(args) -> int:
    """A track's certificate as PDF; only for a learner who passed every lesson of it."""
    import os
    from datetime import date

    from app import i18n, paths
    from app.content.catalog import Library

    store = _data_store()
    if store is None:
        return EXIT_PROBLEMS
    try:
        learner = _find_learner(store, args.learner)
        if learner is None:
            return EXIT_PROBLEMS
        library = Library.load(paths.lessons_dir(), extra_roots=paths.installed_pack_roots())
        if args.track not in library.track_ids():
            raise _Usage(f"no track {args.track!r}; tracks: {', '.join(library.track_ids())}")
        locale = i18n.normalize(args.locale or learner.locale)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication

        from app.ui.certificate import Certificate, unfinished_lessons, write_pdf

        missing = unfinished_lessons(library, store.progress(learner.id), args.track, learner.region)
        if missing or not library.lesson_ids(args.track, learner.region):
            print(f"lantern: {learner.nickname} has not passed every lesson of {args.track!r} yet "
                  f"(not passed: {', '.join(missing) or 'no lessons'}); no certificate written", file=sys.stderr)
            return EXIT_PROBLEMS  # fmt: skip
        _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
        previous = i18n.current_locale()
        i18n.set_locale(locale)  # the page's words in the certificate's language
        try:
            resolved = library.track(args.track, i18n.content_locale(locale, learner.region))
            title = resolved.item.title if resolved else args.track
            written = write_pdf(Certificate(learner.nickname, title, date.today(), locale), Path(args.out))
        finally:
            i18n.set_locale(previous)
    finally:
        store.close()
    print(written)
    return EXIT_OK


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="lantern",
        description="Lantern: learn to spot risky platforms, use your privacy rights and complain effectively.",
    )
    parser.add_argument("--locale", help="language to start in, e.g. en, zh-Hans")
    parser.set_defaults(func=_cmd_run)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lessons = sub.add_parser("lessons", help="check and inspect lesson files")
    lsub = lessons.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = lsub.add_parser("check", help="validate lesson files and folders")
    check.add_argument("paths", nargs="*", help="files or folders (default: the bundled lessons)")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.set_defaults(func=_cmd_lessons_check)
    show = lsub.add_parser("show", help="print a parsed lesson")
    show.add_argument("file")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_cmd_lessons_show)
    render = lsub.add_parser("render", help="print the sanitized HTML the viewer receives")
    render.add_argument("file")
    render.add_argument("--locale", help="render the file's translation in this language, e.g. zh-Hans")
    render.set_defaults(func=_cmd_lessons_render)
    new = lsub.add_parser("new", help="start a lesson from a template with every section and question type")
    new.add_argument("track", help="track folder, e.g. risk-awareness")
    new.add_argument("slug", help="lesson id, e.g. red-flags")
    new.add_argument("--locale", default="en", help="language (a translation copies the English source)")
    new.add_argument("--root", help="lessons folder (default: the bundled lessons)")
    new.set_defaults(func=_cmd_lessons_new)

    gift = sub.add_parser("gift", help="Moodle GIFT quizzes")
    gsub = gift.add_subparsers(dest="action", metavar="ACTION", required=True)
    gparse = gsub.add_parser("parse", help="parse a .gift file")
    gparse.add_argument("file")
    gparse.add_argument("--json", action="store_true")
    gparse.set_defaults(func=_cmd_gift_parse)
    gexport = gsub.add_parser("export", help="write a lesson's or track's questions as GIFT")
    gexport.add_argument("source", help="a lesson file or a track id")
    gexport.add_argument("-o", "--output", help="output file (default: standard output)")
    gexport.add_argument("--locale", default="en", help="language of a track's lessons (default en)")
    gexport.set_defaults(func=_cmd_gift_export)
    gimport = gsub.add_parser("import", help="append a .gift file's questions to a lesson's quiz")
    gimport.add_argument("file", help="the .gift file (from Moodle: Question bank > Export > GIFT)")
    gimport.add_argument("--lesson", required=True, help="the lesson file to add the questions to")
    gimport.set_defaults(func=_cmd_gift_import)

    preview = sub.add_parser("preview", help="live preview of a lesson file for authors")
    preview.add_argument("file")
    preview.set_defaults(func=_cmd_preview)

    report = sub.add_parser("report", help="completion and item analysis for educators")
    report.add_argument("--lesson", help="per-question statistics for this lesson id")
    report.add_argument("--locale", default="en", help="language of lesson titles and questions (default en)")
    report.add_argument("--csv", action="store_true", help="CSV (UTF-8 with BOM) instead of a table")
    report.add_argument("--json", action="store_true", help="everything, machine-readable")
    report.add_argument("-o", "--output", help="(with --csv) file to write")
    report.set_defaults(func=_cmd_report)

    search = sub.add_parser("search", help="search lesson titles, text and questions in one language")
    search.add_argument("query", nargs="+", help="words to look for (any language, accents optional)")
    search.add_argument("--locale", default="en", help="the learner's language, e.g. zh-Hant (default en)")
    search.add_argument("--region", help="the learner's region, e.g. MX: regional lessons and variants")
    search.add_argument("--limit", type=int, default=50, help="at most this many lessons (default 50)")
    search.add_argument("--json", action="store_true", help="machine-readable output, matches as offsets")
    search.set_defaults(func=_cmd_search)

    pack = sub.add_parser("pack", help="lesson packs: build, install, uninstall, list")
    psub = pack.add_subparsers(dest="action", metavar="ACTION", required=True)
    pbuild = psub.add_parser("build", help="check a folder with pack.toml and zip it as a pack")
    pbuild.add_argument("folder")
    pbuild.add_argument("-o", "--output", help="NAME.lantern-pack (default: the folder's name)")
    pinstall = psub.add_parser("install", help="install or upgrade a pack (all or nothing)")
    pinstall.add_argument("file")
    pinstall.add_argument("--force", action="store_true", help="reinstall the same or an older version")
    puninstall = psub.add_parser("uninstall", help="remove an installed pack")
    puninstall.add_argument("id")
    plist = psub.add_parser("list", help="installed packs")
    plist.add_argument("--json", action="store_true")
    pack.set_defaults(func=_cmd_pack)

    i18n = sub.add_parser("i18n", help="translation workflow")
    i18n.add_argument("action", choices=["extract", "update", "compile", "status"])
    i18n.add_argument("--json", action="store_true", help="(status) machine-readable output")
    i18n.add_argument("--locale", help="(update/compile) only this language")
    i18n.set_defaults(func=_cmd_i18n)

    kiosk = sub.add_parser("kiosk", help="start in kiosk mode for a shared computer")
    kiosk.add_argument("--config", help="kiosk settings file (TOML); see docs/kiosk.md")
    kiosk.set_defaults(func=_cmd_kiosk)

    admin = sub.add_parser("admin", help="kiosk administration")
    asub = admin.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = asub.add_parser("set-pin", help="set the admin PIN (4 to 8 digits, read from standard input)")
    set_pin.set_defaults(func=_cmd_admin_set_pin)

    snap = sub.add_parser("snapshot", help="render a screen offscreen to a PNG, with demo data")
    snap.add_argument("screen", choices=_screen_names())
    snap.add_argument("--locale", default="en")
    snap.add_argument("--lesson", help="lesson id for the lesson, quiz and track screens")
    snap.add_argument("--region", help="the demo learner's region, e.g. CN (default: from --locale)")
    snap.add_argument("--kiosk", action="store_true", help="show the screen as a kiosk would (admin: as staff)")
    snap.add_argument("--out", required=True, help="PNG file to write")
    snap.set_defaults(func=_cmd_snapshot)

    data = sub.add_parser("data", help="a learner's data: export, erase, backups")
    dsub = data.add_subparsers(dest="action", metavar="ACTION", required=True)
    dexport = dsub.add_parser("export", help="everything about one learner as JSON (and a readable summary)")
    dexport.add_argument("--learner", required=True, metavar="NAME", help="the learner's nickname")
    dexport.add_argument("-o", "--output", metavar="FILE",
                         help="write FILE.json and a readable FILE.txt beside it (default: JSON to standard output)")
    dexport.set_defaults(func=_cmd_data_export)
    ddelete = dsub.add_parser("delete", help="erase every trace of one learner, from backups too")
    ddelete.add_argument("--learner", required=True, metavar="NAME", help="the learner's nickname")
    ddelete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    ddelete.set_defaults(func=_cmd_data_delete)
    dbackup = dsub.add_parser("backup", help="make a backup now")
    dbackup.set_defaults(func=_cmd_data_backup)
    drestore = dsub.add_parser("restore", help="list backups, or replace the database with one")
    drestore.add_argument("backup", nargs="?", metavar="BACKUP", help="a backup's name (see --list) or a file")
    drestore.add_argument("--list", action="store_true", help="list the backups, newest first")
    drestore.add_argument("--json", action="store_true", help="(--list) machine-readable output")
    drestore.set_defaults(func=_cmd_data_restore)

    cert = sub.add_parser("certificate", help="a learner's certificate for a completed track, as PDF")
    cert.add_argument("--learner", required=True, metavar="NAME", help="the learner's nickname")
    cert.add_argument("--track", required=True, metavar="ID", help="the track's id (its folder name)")
    cert.add_argument("--out", required=True, metavar="FILE.pdf", help="PDF file to write")
    cert.add_argument("--locale", metavar="L", help="the certificate's language (default: the learner's)")
    cert.set_defaults(func=_cmd_certificate)
    return parser


def main(argv: list[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        # Plain `lantern` opens the app: building the whole parser (every subcommand) would
        # only delay the window.
        from app.ui.application import run_app

        return run_app()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except _Usage as exc:
        parser.print_usage(sys.stderr)
        print(f"lantern: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
