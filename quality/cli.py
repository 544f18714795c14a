"""The ``quality`` command line: score, explain, report, train, evaluate, convert, card.

Exit codes: 0 all records scored; 1 finished, with error rows in the output; 2 usage error
(bad arguments, missing input, unusable model); 3 failed (a bug or a lost cluster: the
traceback is on stderr); 130 interrupted; 143 terminated (SIGTERM). A failed, interrupted or
terminated run leaves no output file (the previous one stays); with --resume it keeps its rows
beside the output, for the same command with --resume to continue.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import signal
import sys
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path

from quality._extras import MissingExtra, require

__all__ = ["main"]

log = logging.getLogger("quality")

EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

_SCORE_EXAMPLES = """\
examples:
  quality score crawl.jsonl -o scores.parquet        one row per article, Parquet
  quality score pages/ --format csv > scores.csv     a folder of .html/.txt, recursively
  quality score crawl/*.jsonl -j 2 -o scores.csv     two worker processes, same order
  quality score crawl/ --scheduler tcp://sched:8786 -o scores.parquet   on a Dask cluster
  cat crawl.jsonl | quality score - --explain        JSONL from stdin, with evidence
  quality score crawl.jsonl --keep crawl_id lang -o scores.csv   copy two input fields into the rows
  quality score ../shared/seeds --stories              which articles tell one story, who rewrote whom
  quality score crawl/ -o scores.csv --resume          after a kill, the same command goes on where it stopped
"""


#: Where `quality evaluate --spans` reads the articles by default (from the project root).
_CORPORA = "../shared/corpora/articles"


def _format_for(path: str | None, fmt: str | None) -> str:
    from quality.io.writers import format_for

    if fmt:
        return fmt
    return format_for(path) if path else "jsonl"


def _check_output(output: str, inputs: Sequence[str]) -> list[Path]:
    """Refuse an output that is one of the inputs; return it for leaving out of input folders.

    Writing into a folder being read would read the rows being written (and write more).
    """
    target = Path(output).resolve()
    for name in inputs:
        if name != "-" and Path(name).resolve() == target:
            raise ValueError(f"quality: -o {output!r} is also an input; scoring it would overwrite it")
    return [target]


#: Files that hold one article each: a progress bar over them counts articles.
_ONE_ARTICLE = (".txt", ".text", ".html", ".htm")


def _progress(inputs: Sequence[str], exclude: Sequence[Path], enabled: bool):  # type: ignore[no-untyped-def]
    """A progress bar on stderr, and how far the inputs were read (a `ReadProgress`, or None when
    the bar counts articles). Its total is known when the inputs are regular files and folders:
    articles for files of one article each (.txt, .html), else bytes of the files as stored."""
    from tqdm import tqdm

    from quality.io.readers import ReadProgress, input_files

    files = input_files(inputs, exclude) if enabled else None
    options = {"disable": not enabled, "file": sys.stderr, "dynamic_ncols": True}
    if files is None:
        return tqdm(unit="article", **options), None
    if all(p.name.lower().removesuffix(".gz").endswith(_ONE_ARTICLE) for p in files):
        return tqdm(total=len(files), unit="article", **options), None
    total = sum(p.stat().st_size for p in files if p.exists())
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, **options), ReadProgress()


def _tracked(records, progress, positions):  # type: ignore[no-untyped-def]
    """``records``, noting how far the inputs were read when each was read (one position per
    record, in order: the engines give one output per record, in order)."""
    for record in records:
        positions.append(progress.position())
        yield record


def _engine(records, args):  # type: ignore[no-untyped-def]
    """The stream of results: in-process, a local process pool (-j), or a Dask cluster."""
    from quality.engine import score_on_dask, score_records

    if not args.scheduler:
        # In batches of 32 at first, growing to 256: the first rows (and the progress bar) come
        # soon, a resumable run killed early loses little, and a long run is scored in the
        # cheaper large batches.
        yield from score_records(records, args.model, jobs=args.jobs)
        return
    from distributed import Client, LocalCluster  # checked by _cmd_score

    if not args.verbose:
        # Dask logs every worker start and stop at INFO; they are not the user's business.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    if args.scheduler == "local":
        with (
            # dashboard_address=None does not stop the HTTP server (dask/distributed#8136); a
            # random port at least never collides with a dashboard already on 8787.
            LocalCluster(n_workers=args.jobs, threads_per_worker=1, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            yield from score_on_dask(records, client, args.model)
    else:
        with Client(args.scheduler) as client:
            yield from score_on_dask(records, client, args.model)


def _cmd_score(args: argparse.Namespace) -> int:
    if args.output == "-":
        args.output = None  # standard output, as for the inputs
    fmt = _format_for(args.output, args.format)
    if args.jobs < 1:
        args.parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if fmt == "parquet" and not args.output:
        args.parser.error("--format parquet needs -o OUT.parquet (Parquet cannot stream to stdout)")
    # A missing extra is said before any work, not after the first thousand rows.
    if fmt == "parquet":
        require("pyarrow", "parquet", "writing Parquet")
    if args.scheduler:
        require("distributed", "dask", "scoring on Dask (--scheduler)")
    if args.stories_window is not None and not args.stories:
        args.parser.error("--stories-window needs --stories")
    if args.resume:
        if not args.output:
            args.parser.error("--resume needs -o OUT: the rows of a stopped run are kept beside OUT")
        if args.stories:
            args.parser.error(
                "--resume cannot go with --stories: the story columns need the whole batch, and rows "
                "are written only when it has all been read"
            )
        if "-" in args.inputs:
            args.parser.error("--resume needs input files or folders: standard input cannot be read again")
    import time
    from collections import Counter, deque

    from quality.article import RecordError
    from quality.io.readers import iter_records
    from quality.io.writers import columns, open_writer

    started = time.perf_counter()
    try:
        columns((), args.explain, args.keep, args.stories)
    except ValueError as exc:
        args.parser.error(f"--keep: {str(exc).removeprefix('quality: ')}")
    exclude = _check_output(args.output, args.inputs) if args.output else []
    names = _feature_names(args)
    resume = _resume_state(args, exclude) if args.resume else None
    show = args.progress if args.progress is not None else (sys.stderr.isatty() and not args.quiet)
    bar, progress = _progress(args.inputs, exclude, show)
    args.show_progress = show
    records = iter_records(
        args.inputs,
        exclude=exclude,
        max_record_bytes=args.max_record_bytes,
        max_input_bytes=args.max_input_bytes,
        keep=args.keep,
        progress=progress,
    )
    stories = None
    if args.stories:
        from quality.stories import StoryPass

        # Fingerprinted here as they are read; rows wait on disk until the stories are known.
        window = args.stories_window  # None: the default window; 0: 'all', no window
        stories = StoryPass() if window is None else StoryPass(window=window or None)
        records = stories.read(records)
    positions: deque[int] = deque()
    labels: Counter[str] = Counter()
    with (
        open_writer(
            fmt, args.output, names, explain=args.explain, keep=args.keep, stories=args.stories, resume=resume
        ) as writer,
        bar,
    ):
        if writer.resumed:
            writer.skip(records)  # read past, not scored again: their rows are written
            labels.update(writer.resumed_labels)
            bar.update(progress.position() if progress else writer.resumed)
            bar.refresh()
            if not args.quiet:  # above the bar, which tqdm draws again below
                bar.write(
                    f"quality: resuming {args.output}: {writer.resumed} rows were written by the run "
                    "that stopped; scoring the records after them",
                    file=sys.stderr,
                )
        stream = _engine(_tracked(records, progress, positions) if progress else records, args)
        for out in stream:
            if stories is None:
                writer.write(out)
            else:
                stories.hold(out)
            if not isinstance(out, RecordError):
                labels[out.label] += 1
            bar.update(positions.popleft() - bar.n if progress else 1)
        if progress:
            bar.update(max(progress.position() - bar.n, 0))  # the end of the last file
        if stories is not None:
            for out, extra in stories.rows():
                writer.write(out, extra)
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(_summary(writer.count, labels, writer.errors, seconds, writer.resumed), file=sys.stderr)
    if writer.renamed:
        log.warning(
            "%d row(s) had an id already written and were renamed id#2, id#3...; their warning column says so",
            writer.renamed,
        )
    if writer.count == 0:
        _say_nothing_read(args.inputs)
    if writer.errors:
        print(
            f"quality: {writer.errors} of {writer.count} records could not be scored; see the error rows",
            file=sys.stderr,
        )
        return EXIT_ROW_ERRORS
    return EXIT_OK


def _feature_names(args: argparse.Namespace) -> tuple[str, ...]:
    """The model's feature names (the --explain columns). With -j N or a Dask cluster, the
    workers load the model: this process reads them from its card, after checking the card
    and the artifact's SHA-256, and never loads the model itself."""
    from quality.artifact import check_model  # not quality.model: no scikit-learn to import here

    if args.jobs > 1 or args.scheduler:
        names = check_model(args.model).get("feature_names")
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            return tuple(names)
    from quality.scoring import default_model

    return default_model(args.model).feature_names


_LABEL_ORDER = ("reliable", "uncertain", "unreliable", "out_of_scope")


def _summary(rows: int, labels: dict[str, int], errors: int, seconds: float, resumed: int = 0) -> str:
    """The line that ends a batch: the rows of the output (``resumed`` of them written by the
    run that stopped), and the speed of this run.

    Examples
    --------
    >>> _summary(500, {"reliable": 300, "unreliable": 150, "out_of_scope": 48}, 2, 25.0)
    'quality: 500 rows in 25.0 s (20.0 articles/s): 300 reliable, 0 uncertain, 150 unreliable, 48 out_of_scope, 2 error rows'
    >>> _summary(500, {"reliable": 300, "unreliable": 200}, 0, 10.0, resumed=300)
    'quality: 500 rows (300 resumed) in 10.0 s (20.0 articles/s): 300 reliable, 0 uncertain, 200 unreliable, 0 out_of_scope, 0 error rows'
    """
    order = [*_LABEL_ORDER, *sorted(set(labels) - set(_LABEL_ORDER))]
    counts = ", ".join(f"{labels.get(name, 0)} {name}" for name in order)
    rate = (rows - resumed) / seconds if seconds > 0 else 0.0
    return (
        f"quality: {rows} row{'s' if rows != 1 else ''}{f' ({resumed} resumed)' if resumed else ''} "
        f"in {seconds:.1f} s ({rate:.1f} articles/s): {counts}, {errors} error row{'s' if errors != 1 else ''}"
    )


def _resume_state(args: argparse.Namespace, exclude: Sequence[Path]) -> dict[str, object]:
    """What the rows of a resumable run are made from (`quality.io.resume.fingerprint`): its
    input files and what else changes the rows. ``-j`` and ``--scheduler`` do not: the rows
    come in input order however they are scored."""
    from quality import __version__
    from quality.artifact import check_model
    from quality.io.readers import input_files
    from quality.io.resume import fingerprint

    for name in args.inputs:
        if not Path(name).exists() and not Path(name).is_symlink():
            raise FileNotFoundError(f"quality: no such file or folder: {name!r}")
    files = input_files(args.inputs, exclude)
    if files is None:
        parser: argparse.ArgumentParser = args.parser
        parser.error("--resume needs input files or folders: a pipe or a FIFO cannot be read again")
    options = {
        "quality": __version__,
        "model_sha256": check_model(args.model).get("sha256"),
        "explain": args.explain,
        "keep": list(args.keep),
        "max_record_bytes": args.max_record_bytes,
        "max_input_bytes": args.max_input_bytes,
    }
    return fingerprint(files, options)


def _say_nothing_read(inputs: Sequence[str]) -> None:
    """An empty input is not an error (an empty day's crawl), but it should never pass unseen."""
    from quality.io.readers import SUFFIXES

    print(
        f"quality: no records in {', '.join(inputs)} (folders are searched for {' '.join(SUFFIXES)})",
        file=sys.stderr,
    )


def _cmd_explain(args: argparse.Namespace) -> int:
    from collections import deque
    from collections.abc import Iterable, Iterator

    from quality.article import Article, RecordError, Report
    from quality.io.readers import iter_records
    from quality.scoring import default_model, score_many

    if args.stories_window is not None and not args.stories:
        args.parser.error("--stories-window needs --stories")
    if args.html:
        from quality.html import check_target

        check_target(args.html)  # fail now, not after the scoring
    model = default_model(args.model)
    errors = total = 0
    source: Iterable[Article | RecordError] = iter_records(
        args.inputs, max_record_bytes=args.max_record_bytes, max_input_bytes=args.max_input_bytes
    )
    # Each article's story, by its place among the records: stories need the whole batch, so
    # with --stories it is read before the first explanation is printed.
    story_at: dict[int, ArticleStory] = {}
    if args.stories:
        from quality.stories import WINDOW, ArticleStory, stories

        source = list(source)
        articles = {at: r for at, r in enumerate(source) if isinstance(r, Article)}
        window = args.stories_window  # None: the default window; 0: 'all', no window
        found = stories(articles.values(), window=WINDOW if window is None else (window or None))
        story_at = dict(zip(articles, found, strict=True))
    # The articles go with their reports into the HTML page (score_many gives one output per
    # input, in order).
    read: deque[tuple[int, Article | RecordError]] = deque()
    shown: list[tuple[Report, Article | None] | RecordError] = []

    def records() -> Iterator[Article | RecordError]:
        for at, record in enumerate(source):
            read.append((at, record))
            yield record

    for out in score_many(records(), model, on_error="yield"):
        total += 1
        at, item = read.popleft()
        if isinstance(out, RecordError):
            errors += 1
            print(_printable(f"{out.id}: ERROR ({out.stage}) {out.error}") + "\n")
        else:
            text = _explain_text(out, args.evidence)
            if at in story_at:
                text += _story_text(story_at[at], args.evidence)
            print(_printable(text))
        if args.html:
            shown.append(
                out if isinstance(out, RecordError) else (out, item if isinstance(item, Article) else None)
            )
    if total == 0:
        _say_nothing_read(args.inputs)
    if args.html:
        from quality.html import StoryMember, explanation_page, stories_of, write_page

        grouped = stories_of(StoryMember.of(s) for s in story_at.values()) if args.stories else None
        path = write_page(explanation_page(shown, stories=grouped), args.html)
        print(
            f"quality: wrote the explanation of {total - errors} of {total} records to {path}",
            file=sys.stderr,
        )
    if errors:
        print(
            f"quality: {errors} of {total} records could not be explained; see the ERROR entries",
            file=sys.stderr,
        )
        return EXIT_ROW_ERRORS
    return EXIT_OK


def _story_text(story, n_passages: int) -> str:  # type: ignore[no-untyped-def]
    """An article's story for the terminal: with whom, its originality, what it shares."""
    if story.story_size < 2:
        return "  story: no other article of this batch reports it\n"
    others = story.story_size - 1
    originality = "unknown (dates missing)" if story.originality is None else f"{story.originality:.2f}"
    head = f"  story: {story.story} ({others} other article{'s' if others != 1 else ''}); originality {originality}"
    if not story.passages:
        return f"{head}; shares no passage with them\n"
    lines = [f"{head}; {story.shared:.0%} of its text found in another, in {len(story.passages)} passages:"]
    for p in story.passages[:n_passages]:
        text = textwrap.shorten(" ".join(p.text.split()), 70)
        lines.append(f"    [{p.kind}, {p.relation} {p.other}] body[{p.start}:{p.end}] {text!r}")
    if len(story.passages) > n_passages:
        lines.append(f"    … {len(story.passages) - n_passages} more passages (use --evidence N)")
    return "\n".join(lines) + "\n"


# C0 and C1 control characters (ESC starts terminal escape sequences) and the bidirectional
# controls that reorder what a terminal shows, all but the line break.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    r"""``text`` safe for a terminal: control characters from the input (a title, an id) are
    shown escaped (``\x1b``) instead of moving the cursor, clearing the screen or retitling
    the window.

    Examples
    --------
    >>> _printable("id\x1b[2J: ok")
    'id\\x1b[2J: ok'
    """
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def _explain_text(report, n_evidence: int) -> str:  # type: ignore[no-untyped-def]
    from quality.report import group_contributions, unweighted_signals

    # Three decimals: at two, 0.398 would print as 0.40 beside "UNRELIABLE" (below 0.4).
    lines = [f"{report.id}: {report.label.upper()} (reliability {report.reliability:.3f})"]
    if report.out_of_scope:
        lines.append(f"  out of scope: {report.out_of_scope} (its reliability is no verdict)")
    if report.title:
        lines.append(f"  headline: {report.title}")
    lines.append("  signals:  " + "  ".join(f"{k}={v:.2f}" for k, v in report.signals.items()))
    lines.append("  why:")
    lines += [f"    - {r}" for r in report.reasons] or ["    - nothing stands out"]
    unweighted = unweighted_signals(report)
    if unweighted:
        lines.append("  flagged, but barely counted (in training it added little to the other signals):")
        lines += [f"    - {r}" for r in unweighted]
    grouped = group_contributions(report.contributions)
    lines.append(
        f"  log-odds: {report.intercept:+.2f} (typical article) "
        + " ".join(f"{k} {v:+.2f}" for k, v in grouped.items())
    )
    lines.append("  evidence:")
    for e in report.evidence[:n_evidence]:
        text = " ".join(e.text.split())
        lines.append(
            f"    [{e.signal}] {e.field}[{e.start}:{e.end}] {textwrap.shorten(text, 70)!r} — {e.note}"
        )
    if len(report.evidence) > n_evidence:
        lines.append(f"    … {len(report.evidence) - n_evidence} more (use --evidence N)")
    return "\n".join(lines) + "\n"


def _cmd_report(args: argparse.Namespace) -> int:
    from quality.batch_report import build
    from quality.html import check_target, write_page

    check_target(args.html)  # fail now, not after the reading
    require("matplotlib.figure", "report", "quality report")
    text, summary, seconds = build(args.scored, args.articles or (), lowest=args.lowest)
    path = write_page(text, args.html)
    print(
        f"quality: wrote the report of {summary.rows} articles and {summary.error_count} error rows "
        f"to {path} in {seconds:.1f} s",
        file=sys.stderr,
    )
    if summary.unreadable:
        print(
            f"quality: {summary.unreadable} rows could not be read as scored rows; see the page's error list",
            file=sys.stderr,
        )
        return EXIT_ROW_ERRORS
    return EXIT_OK


def _cmd_train(args: argparse.Namespace) -> int:
    from quality.model import check_output_path, save_model
    from quality.training import train
    from quality.training.card import write_markdown

    check_output_path(args.output)  # fail now, not after the training
    model, card = train(
        args.data,
        args.headlines,
        args.claims,
        test_size=args.test_size,
        seed=args.seed,
        limit=args.limit,
        reputation=args.reputation,
        compare=not args.no_compare,
        jobs=args.jobs,
    )
    path = save_model(model, args.output)
    readable = write_markdown(path)
    print(
        json.dumps({"card": str(path), "readable_card": str(readable), "metrics": card["metrics"]}, indent=2)
    )
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    from quality.model import convert_joblib
    from quality.training.card import write_markdown

    print(
        f"quality: unpickling {args.old!r} to convert it; unpickling runs any code the file holds, so "
        "convert only a model you trust (its SHA-256 is checked against its card, which rules out "
        "accidents, not tampering)",
        file=sys.stderr,
    )
    path = convert_joblib(args.old, args.output)
    readable = write_markdown(path)
    print(
        f"quality: wrote {path.with_suffix('.skops')} with its cards {path} and {readable}; "
        "it scores as the pickle did, which can now be deleted",
        file=sys.stderr,
    )
    return EXIT_OK


def _cmd_card(args: argparse.Namespace) -> int:
    from quality.training.card import write_markdown

    path = write_markdown(args.card, args.output)
    print(f"quality: wrote {path}", file=sys.stderr)
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from quality.scoring import default_model
    from quality.training import evaluate, evaluate_claims, evaluate_headlines

    if not (args.data or args.headlines or args.claims or args.spans):
        args.parser.error(
            "give --data (labeled articles), --headlines (labeled headlines), --claims (labeled "
            "sentences), --spans (the span-annotated real articles), or several"
        )
    if not args.spans and (args.half or args.corpora or args.markdown):
        args.parser.error("--half, --corpora and --markdown go with --spans labeled/real")
    model = default_model(args.model)
    tables = []
    if args.data:
        tables.append(("data set", evaluate(model, args.data, limit=args.limit, held_out=args.held_out)))
    if args.headlines:
        tables.append(
            (
                "headline file",
                evaluate_headlines(model, args.headlines, limit=args.limit, held_out=args.held_out),
            )
        )
    if args.claims:
        tables.append(
            ("claim file", evaluate_claims(model, args.claims, limit=args.limit, held_out=args.held_out))
        )
    for title, results in tables:
        print(f"{title:32} {'rows':>6} {'AUC':>7} {'F1':>7} {'Brier':>7} {'ECE':>7}")
        for name, m in results.items():
            auc = "n/a" if m["auc"] is None else f"{m['auc']:.4f}"  # one class only
            print(f"{name:32} {m['rows']:>6} {auc:>7} {m['f1']:>7.4f} {m['brier']:>7.4f} {m['ece']:>7.4f}")
    if args.spans:
        from quality.spans import evaluate_spans, format_markdown, format_text

        result = evaluate_spans(args.spans, args.corpora or _CORPORA, args.half or "both", model)
        print((format_markdown if args.markdown else format_text)(result), end="")
    return EXIT_OK


def _count(text: str) -> int:
    """An argument that is a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def _bytes(text: str) -> int:
    """A size in bytes, 1 or more: a whole number, optionally with K, M or G (binary: 4M = 4 MiB)."""
    number, unit = text.strip().upper().removesuffix("IB").removesuffix("B"), ""
    if number[-1:] in ("K", "M", "G"):
        number, unit = number[:-1], number[-1]
    try:
        value = int(number) * _UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size in bytes (e.g. 4194304, 4M or 1G)"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size of at least 1 byte")
    return value


def _add_limits(p: argparse.ArgumentParser) -> None:
    from quality.io._stream import MAX_INPUT_BYTES, MAX_RECORD_BYTES

    p.add_argument(
        "--max-record-bytes",
        type=_bytes,
        default=MAX_RECORD_BYTES,
        metavar="N",
        help="read at most N bytes of one record (a line, a CSV row, an item of a JSON array, a .txt or "
        ".html file): a longer one is cut there and flagged in its row's warning, or is an error row "
        f"when what was read is no record (default {MAX_RECORD_BYTES // 2**20}M; K, M, G accepted)",
    )
    p.add_argument(
        "--max-input-bytes",
        type=_bytes,
        default=MAX_INPUT_BYTES,
        metavar="N",
        help="decompress at most N bytes from one .gz input; past that, an error row says how far it "
        f"was read (default {MAX_INPUT_BYTES // 2**30}G)",
    )


def _positive(text: str) -> int:
    """An argument that is a whole number, 1 or more."""
    value = _count(text)
    if value == 0:
        raise argparse.ArgumentTypeError("0 rows leaves nothing to work on")
    return value


def _stories_window(text: str) -> int:
    """--stories-window: a number of articles, 1 or more, or 'all' (given back as 0)."""
    if text.strip().lower() == "all":
        return 0
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of articles (1 or more) or 'all', got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{value} articles leaves an article nothing to be compared with; give 1 or more "
            "(each article is compared with that many before it), or 'all'"
        )
    return value


def _share(text: str) -> float:
    """An argument that is a fraction strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def _wrap(text: str) -> str:
    # The raw formatter keeps the examples' layout but would print a description on one line.
    return textwrap.fill(text, width=79)


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked (the lookup reads the
    package metadata, which would slow every other command's start)."""

    def __init__(
        self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object
    ) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from quality import __version__

        print(f"quality {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quality",
        description=_wrap(
            "Score how much to trust news articles, and say why: sourcing, typos, filler, "
            "unsupported claims and clickbait, combined by a trained, calibrated model."
        ),
        epilog="examples:\n"
        "  quality score crawl.jsonl -o scores.parquet\n"
        "  quality explain ../shared/seeds/004_f24d6baf59f876e2.txt\n\n"
        "exit codes: 0 ok, 1 finished with error rows, 2 usage error, 3 failed, 130 interrupted, 143 terminated.\n"
        "Run 'quality COMMAND --help' for a command's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    _add_verbosity(parser, "")
    # -v and -q also after the command (`quality score crawl.jsonl -v`): the command's parser
    # keeps its own count, added to the main parser's in `main`.
    common = argparse.ArgumentParser(add_help=False)
    _add_verbosity(common, "sub_")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    fmt = argparse.RawDescriptionHelpFormatter

    def add_parser(name: str, **kwargs: object) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kwargs)  # type: ignore[arg-type]

    p = add_parser(
        "score",
        help="score articles: one flat row each (JSONL, CSV or Parquet)",
        description=_wrap(
            "Score articles from JSONL, CSV, Parquet, .txt or .html files, folders "
            "(recursively) or '-' (JSONL on stdin). Writes one row per article: id, reliability, "
            "label, the five signal scores and the top reasons; a record that cannot be read or "
            "scored becomes an error row (id, error, stage)."
        ),
        epilog=_SCORE_EXAMPLES,
        formatter_class=fmt,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for JSONL on stdin")
    p.add_argument("-o", "--output", help="output file (default, or -: JSONL on stdout)")
    p.add_argument(
        "--format",
        choices=("jsonl", "csv", "tsv", "parquet"),
        help="output format (default: from -o's extension, .gz for gzip, else jsonl)",
    )
    p.add_argument(
        "--explain", action="store_true", help="add the intercept, per-feature contributions and the evidence"
    )
    p.add_argument(
        "--keep",
        nargs="+",
        action="extend",
        default=[],
        metavar="COL",
        help="also copy these fields of the input records (JSONL, CSV, TSV, Parquet) into each row, "
        "after id, to join the rows back (url, title and source always are); give it after the "
        "inputs, or end its list with --",
    )
    p.add_argument(
        "--model",
        help="model to use (path to NAME.skops with NAME.json beside it; default: the shipped model)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        help="worker processes (default 1); each loads the model once and scores chunks of 32 articles growing to 256",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="score on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a "
        "local cluster of --jobs worker processes (needs quality[dask])",
    )
    p.add_argument(
        "--stories",
        action="store_true",
        help="group the batch into stories and add story, story_size, originality, shared and "
        "passages (what each article shares with others of its story); rows are written when "
        "the whole input is read",
    )
    p.add_argument(
        "--stories-window",
        type=_stories_window,
        metavar="N",
        help="with --stories, compare each article with the N before it only, which keeps memory "
        "and the time per article flat however long the input (default: 10000); 'all' compares "
        "every pair",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the rows beside -o OUT as they are written (hidden .OUT.resume.jsonl, and "
        ".OUT.resume.json: what they are made from), so that when the run stops (killed, "
        "interrupted, failed) the same command with --resume scores only the records after them "
        "and writes OUT as an uninterrupted run would; refused when the inputs or options "
        "changed; starts afresh when no run stopped. Not with --stories or standard input",
    )
    _add_limits(p)
    p.set_defaults(func=_cmd_score, parser=p)

    p = add_parser(
        "explain",
        help="explain articles' scores for a reader: reasons, contributions, evidence",
        description=_wrap(
            "Print, for each article, its label, the reasons behind it, the log-odds "
            "contributions by signal and the evidence spans."
        ),
        epilog="examples:\n  quality explain ../shared/seeds/004_f24d6baf59f876e2.txt\n"
        "  quality explain ../shared/seeds --html seeds.html   one page, least reliable first\n"
        "  quality explain ../shared/seeds --stories --html seeds.html   and which tell one story\n",
        formatter_class=fmt,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--model")
    p.add_argument(
        "--evidence",
        type=_count,
        default=12,
        metavar="N",
        help="evidence spans (and with --stories, shared passages) to show per article (default 12)",
    )
    p.add_argument(
        "--html",
        metavar="OUT.html",
        help="also write one self-contained page: highlighted evidence, signal bars, the contributions "
        "as a waterfall, an index when there are several articles",
    )
    p.add_argument(
        "--stories",
        action="store_true",
        help="group the articles into stories (as quality score --stories) and say each one's story, "
        "originality and shared passages; with --html, the page shows each story's articles side "
        "by side with the passages they share highlighted",
    )
    p.add_argument(
        "--stories-window",
        type=_stories_window,
        metavar="N",
        help="with --stories, compare each article with the N before it only (default: 10000); "
        "'all' compares every pair",
    )
    _add_limits(p)
    p.set_defaults(func=_cmd_explain, parser=p)

    p = add_parser(
        "report",
        help="one HTML page over a batch scored with --explain: distributions, reasons, lowest articles",
        description=_wrap(
            "Draw one self-contained HTML page over the output of 'quality score --explain' "
            "(JSONL, gzipped or not, Parquet or CSV): the histogram of reliability, counts per label, "
            "the distribution of each signal and of each family's contribution, the strongest reasons "
            "across the batch, and the lowest-scoring articles linked to their explanations on the same "
            "page. With --articles (the files that were scored), those show the article text with its "
            "evidence highlighted."
        ),
        epilog="example:\n  quality score crawl.jsonl --explain -o scores.jsonl\n"
        "  quality report scores.jsonl --articles crawl.jsonl --html report.html\n",
        formatter_class=fmt,
    )
    p.add_argument("scored", nargs="+", metavar="SCORED", help="rows written by quality score --explain")
    p.add_argument("--html", required=True, metavar="OUT.html", help="the page to write")
    p.add_argument(
        "--articles",
        nargs="+",
        metavar="INPUT",
        help="the inputs that were scored (as given to quality score), to show the text of the lowest "
        "articles and, for rows scored with --stories, the stories' articles side by side",
    )
    p.add_argument(
        "--lowest",
        type=_count,
        default=25,
        metavar="N",
        help="lowest-scoring articles to list and explain (default 25)",
    )
    p.set_defaults(func=_cmd_report, parser=p)

    p = add_parser(
        "train",
        help="train a model and write it with its card",
        description=_wrap(
            "Train the headline model and the reliability model on labeled data; "
            "write OUTPUT.skops, its card OUTPUT.json (data hashes, metrics, versions) and the "
            "readable card OUTPUT.md."
        ),
        epilog="example:\n  quality train --data ../shared/corpora/articles "
        "--headlines ../shared/corpora/headlines/stop_clickbait.csv labeled/headlines.csv "
        "--claims ../shared/corpora/claims/claimbuster_2class.csv -o models/reliability\n",
        formatter_class=fmt,
    )
    p.add_argument(
        "--data",
        nargs="+",
        required=True,
        metavar="PATH",
        help="labeled JSONL, CSV, TSV or Parquet files, or folders of them (title, body, label)",
    )
    p.add_argument(
        "--headlines",
        nargs="+",
        required=True,
        metavar="CSV",
        help="labeled headlines (headline, clickbait; optional pair: the same fact as news and as "
        "clickbait, split together); several files weigh the same",
    )
    p.add_argument(
        "--reputation",
        metavar="CSV",
        help="add source-reputation features from a domain list (domain, reliability_label); off by default, "
        "and the card marks the model as not content-only",
    )
    p.add_argument(
        "--claims",
        metavar="CSV",
        help="labeled sentences (text, checkworthy) for the claim model; without it, claims are found by rules",
    )
    p.add_argument(
        "-o", "--output", required=True, help="model path without extension, e.g. models/reliability"
    )
    p.add_argument(
        "--test-size",
        type=_share,
        default=0.2,
        help="held-out share for the card's metrics, between 0 and 1 (default 0.2)",
    )
    p.add_argument("--seed", type=_count, default=0, help="random seed of the splits (default 0)")
    p.add_argument(
        "--limit",
        type=_positive,
        help="at most this many articles per file, and ten times as many headlines or sentences (quick runs)",
    )
    p.add_argument(
        "--no-compare",
        action="store_true",
        help="skip the leave-one-data-set-out comparison with TF-IDF + LR (faster; the card then has none)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=1,
        help="processes for computing features and fitting the comparison's splits (default 1)",
    )
    p.set_defaults(func=_cmd_train, parser=p)

    p = add_parser(
        "convert",
        help="convert a model pickled by an earlier version (NAME.joblib) to NAME.skops",
        description=_wrap(
            "Convert a model saved by an earlier version of quality as a pickle (NAME.joblib with its "
            "card NAME.json) to the format quality loads now (NAME.skops, which runs no code when "
            "loaded), and write its readable card NAME.md. The pickle must match the SHA-256 in its "
            "card. Converting UNPICKLES the file, which runs any code it holds: convert only a file "
            "you trust, such as one you trained yourself. The converted model is checked to score as "
            "the pickle did; the pickle is left in place."
        ),
        epilog="example:\n  quality convert models/reliability.joblib\n",
        formatter_class=fmt,
    )
    p.add_argument("old", metavar="OLD.joblib", help="the pickled model, with its card beside it")
    p.add_argument("-o", "--output", help="model path without extension (default: OLD's, beside it)")
    p.set_defaults(func=_cmd_convert, parser=p)

    p = add_parser(
        "card",
        help="write a model's readable card (Markdown) from its card NAME.json",
        description=_wrap(
            "Write the model card people read (intended use and users, out-of-scope uses, training "
            "data and licences, evaluation across data sets, limitations, ethical notes) from the "
            "card that quality train writes beside the model. quality train and quality convert "
            "write it too."
        ),
        epilog="example:\n  quality card models/reliability.json -o models/reliability.md\n",
        formatter_class=fmt,
    )
    p.add_argument("card", metavar="NAME.json", help="the model's card")
    p.add_argument("-o", "--output", metavar="OUT.md", help="where to write (default: NAME.md beside it)")
    p.set_defaults(func=_cmd_card, parser=p)

    p = add_parser(
        "evaluate",
        help="AUC, F1, Brier score and calibration error on labeled data, per data set; evidence precision and recall",
        description=_wrap(
            "Evaluate a model on labeled articles (JSONL: AUC, F1, Brier score and expected calibration error, overall and per data set) and its headline and claim models on labeled headlines and sentences (CSV, per file); with --spans, the precision and recall of each signal's evidence on the span-annotated real articles (labeled/real), per half and corpus."
        ),
        epilog="examples:\n  quality evaluate --data ../shared/corpora/articles\n"
        "  quality evaluate --data ../shared/corpora/articles --held-out   the card's held-out figures\n"
        "  quality evaluate --headlines ../shared/corpora/headlines/stop_clickbait.csv labeled/headlines.csv --held-out\n"
        "  quality evaluate --claims ../shared/corpora/claims/claimbuster_2class.csv --held-out\n"
        "  quality evaluate --spans labeled/real --half dev   evidence precision and recall per signal\n"
        "  quality evaluate --spans labeled/real --markdown   the README's table (both halves)\n",
        formatter_class=fmt,
    )
    p.add_argument(
        "--data",
        nargs="+",
        metavar="PATH",
        help="labeled JSONL, CSV, TSV or Parquet files, or folders of them (title, body, label)",
    )
    p.add_argument(
        "--headlines",
        nargs="+",
        metavar="CSV",
        help="labeled headline CSVs (headline, clickbait): the headline model's figures per file",
    )
    p.add_argument(
        "--claims",
        nargs="+",
        metavar="CSV",
        help="labeled sentence CSVs (text, and checkworthy or label as in CLEF CheckThat!): the claim model's figures per file",
    )
    p.add_argument("--model")
    p.add_argument(
        "--limit",
        type=_positive,
        help="at most this many articles per file (ten times as many headlines); ignored with --held-out",
    )
    p.add_argument(
        "--held-out",
        action="store_true",
        help="only the rows held out from training (the split in the model's card): reproduces the card's figures",
    )
    p.add_argument(
        "--spans",
        metavar="FOLDER",
        help="the span-annotated real articles (labeled/real): precision and recall of each signal's "
        "evidence, per half and corpus, and clickbait per headline (reads the articles from --corpora)",
    )
    p.add_argument(
        "--half",
        choices=("dev", "test", "both"),
        help="with --spans: the half of the set to score (default both; measure on test only at the end)",
    )
    p.add_argument(
        "--corpora",
        metavar="FOLDER",
        help=f"with --spans: the folder of the corpus .jsonl files (default {_CORPORA})",
    )
    p.add_argument(
        "--markdown", action="store_true", help="with --spans: print markdown tables for the README"
    )
    p.set_defaults(func=_cmd_evaluate, parser=p)
    return parser


def _add_verbosity(parser: argparse.ArgumentParser, prefix: str) -> None:
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        dest=f"{prefix}verbose",
        help="more log messages on stderr (-vv for debug); anywhere on the command line",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        dest=f"{prefix}quiet",
        help="only errors on stderr: no warnings, no progress bar, no summary line",
    )


def _log_level(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The log level that -v and -q ask for, wherever they stand on the command line (before or
    after the command; the counts add up); sets ``args.verbose`` and ``args.quiet`` to the totals.

    Examples
    --------
    >>> parser = build_parser()
    >>> _log_level(parser, parser.parse_args(["-v", "score", "x.jsonl", "-v"])) == logging.DEBUG
    True
    >>> _log_level(parser, parser.parse_args(["score", "x.jsonl", "-q"])) == logging.ERROR
    True
    """
    args.verbose += args.sub_verbose
    args.quiet = args.quiet or args.sub_quiet
    if args.verbose and args.quiet:
        parser.error("-q (only errors) and -v (more messages) cannot go together")
    if args.quiet:
        return logging.ERROR
    return (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    level = _log_level(parser, args)
    if hasattr(sys.stdout, "reconfigure"):
        # Lone surrogates from JSON input cannot be printed as UTF-8; escape them, never crash.
        sys.stdout.reconfigure(errors="backslashreplace")
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not args.verbose:
        # trafilatura logs "empty HTML tree" at ERROR for a page that its error row already names.
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    # SIGTERM (a scheduler stopping the job) unwinds like Ctrl-C, so partial output is removed.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return _run(args)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def _model_error() -> type[Exception]:
    """`quality.model.ModelError`, if the model module was loaded (only then can it have been
    raised): importing it here would load scikit-learn for commands that need no model."""
    module = sys.modules.get("quality.model")
    return module.ModelError if module is not None else OSError


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `quality score ... | head`
        return EXIT_OK
    except KeyboardInterrupt:
        print("quality: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MissingExtra as exc:  # an optional dependency: the message says which extra
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except (OSError, _model_error()) as exc:  # missing input, unwritable output, refused model
        print(str(exc) if str(exc).startswith("quality:") else f"quality: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:
        # Our own complaints about labeled data (a bad label, a missing column) are usage errors;
        # anything else is a bug and keeps its traceback.
        if not str(exc).startswith("quality:"):
            return _failed()
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except Exception:  # noqa: BLE001 - reported with its traceback, under its own exit code
        return _failed()


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _failed() -> int:
    """A failure that is not the input's fault: its traceback, and an exit code that a scheduler
    cannot mistake for "finished with error rows"."""
    import traceback

    traceback.print_exc(file=sys.stderr)
    print("quality: failed; the traceback above says where", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
