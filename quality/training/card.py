"""The model card: provenance of a trained model, the split it records, and the card people read.

`quality train` writes ``NAME.json`` (the card: data, metrics, versions) beside the model;
`markdown` turns it into ``NAME.md`` (intended use and users, out-of-scope uses, training
data with licences, evaluation across data sets, limitations, ethical notes), so the figures a
reader sees are the card's, never copied by hand.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quality.model import Model

__all__ = ["card_split", "git_commit", "markdown", "write_markdown"]


def git_commit() -> str | None:
    """The commit of the code that trained the model, when run from a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def card_split(model: Model) -> dict[str, Any]:
    """The train/held-out split recorded in ``model``'s card; `ValueError` if there is none."""
    split_card = model.card.get("training_data", {}).get("split", {})
    if not isinstance(split_card, dict) or not {"seed", "test_size"} <= set(split_card):
        raise ValueError(
            f"quality: the card of model {model.name!r} records no split (seed and test_size), so "
            "its held-out rows are unknown; evaluate without --held-out"
        )
    return split_card


#: Where the training files come from and under what terms, by file name (from
#: ../shared/corpora/README.md, the data card of the labeled corpora). A file not listed here
#: is shown as "not recorded".
SOURCES: dict[str, tuple[str, str]] = {
    "perez_rosas.jsonl": (
        "Pérez-Rosas et al., COLING 2018 (FakeNewsAMT + Celebrity); fakes written by crowd workers",
        "research data set; no licence stated",
    ),
    "fakes_syria.jsonl": (
        "FA-KES (Salem et al. 2019): Syrian-war reports from 15 outlets",
        "research data set; no licence stated",
    ),
    "fakenewsnet_buzzfeed.jsonl": (
        "FakeNewsNet, BuzzFeed part (Shu et al.); scraped pages",
        "research data set; no licence stated",
    ),
    "recovery.jsonl": (
        "ReCOVery (Zhou et al., CIKM 2020): COVID-19 news from 37 outlets, Jan-May 2020; labels rate the outlet",
        "CC BY-NC-SA 4.0 (non-commercial)",
    ),
    "stop_clickbait.csv": (
        "Stop Clickbait (Chakraborty et al., ASONAM 2016): BuzzFeed, Upworthy, ViralNova vs WikiNews, NYT, Guardian, Hindu",
        "MIT",
    ),
    "headlines.csv": (
        "this project's topic-matched headline pairs (labeled/headlines.csv)",
        "the project's own (MIT)",
    ),
    "claimbuster_2class.csv": (
        "ClaimBuster (Hassan et al.): sentences from US presidential debates",
        "GPL-3.0 (the repository's)",
    ),
    "golden_truth_dataset.csv": ("idiap/News-Media-Reliability: domain ratings", "Apache-2.0"),
}

#: The sections of the readable card, in order (tests check that each is there).
SECTIONS = (
    "Intended use",
    "Intended users",
    "Out-of-scope uses",
    "Training data",
    "Evaluation",
    "Limitations",
    "Ethical considerations",
    "Provenance",
)


def _f(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _metric_rows(table: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    return [
        [
            name,
            str(m.get("rows", "")),
            _f(m.get("auc")),
            _f(m.get("f1")),
            _f(m.get("brier")),
            _f(m.get("ece")),
        ]
        for name, m in table.items()
    ]


def _source(path: str) -> tuple[str, str]:
    return SOURCES.get(Path(path).name, ("not recorded", "not recorded"))


def markdown(card: Mapping[str, Any]) -> str:
    """The readable model card, from a model's card (the JSON that `quality train` writes).

    Examples
    --------
    >>> text = markdown({"name": "m", "metrics": {"held_out": {"all": {"rows": 10, "auc": 0.8125}}}})
    >>> "0.812" in text and "## Intended use" in text
    True
    """
    name = card.get("name", "model")
    # Any part may be missing or null: trained with --no-compare, or a card from before.
    metrics = card.get("metrics") or {}
    data = card.get("training_data") or {}
    held_out = metrics.get("held_out") or {}
    overall = held_out.get("all") or {}
    cross = {k: v for k, v in (metrics.get("leave_one_dataset_out") or {}).items() if k != "ablation"}
    content_only = card.get("content_only", True)
    labels = card.get("labels", {"reliable_at": 0.6, "unreliable_below": 0.4})
    out = [
        f"# Model card: `{name}`",
        "",
        "<!-- Generated from "
        f"{card.get('name', 'the model')}.json by `quality card` (quality/training/card.py); "
        "edit the code or retrain, not this file. -->",
        "",
        card.get("description", "Reliability of news articles."),
        f"Held-out AUC {_f(overall.get('auc'))} on {overall.get('rows', '?')} articles "
        f"(ECE {_f(overall.get('ece'))}); trained {str(card.get('created', '?'))[:10]}.",
        "",
        "## Intended use",
        "",
        "It reads one English news article (headline and body) and gives the probability that the article is "
        "reliable, with a label (`reliable` at "
        f"{labels.get('reliable_at')} or above, `unreliable` below {labels.get('unreliable_below')}, "
        "`uncertain` between) and the evidence behind it: attributions and quotes, typos, filler and site "
        "chrome, unsupported claims, a clickbait headline, and the words that weighed most. "
        + (
            "It looks at the text only: not the outlet, the author or the URL."
            if content_only
            else "Besides the text, it uses the reputation of the URL's domain, so it is not content-only."
        ),
        "",
        "Use it to sort and triage many articles (a crawl, a feed, a corpus) so that people read the weakest first, "
        "and to show an editor why an article reads as weakly sourced.",
        "",
        "## Intended users",
        "",
        "- Editors, researchers and curators who triage news text and read the explanations before acting.",
        "- Developers who put it in a data pipeline (`quality score`, `quality.score_frame`) to flag articles "
        "for review or to filter training text, with the threshold chosen on their own data.",
        "",
        "## Out-of-scope uses",
        "",
        "- Deciding whether a claim is true. It scores how an article is written and sourced, not its facts: "
        "a false story with named sources and clean copy can score high.",
        "- Removing, demoting or labelling content, or rating a person or an outlet, without a human reading it.",
        "- Text that is not English news prose: other languages, social-media posts, comments, press releases, "
        "transcripts, texts of a few sentences.",
        "- Topics, periods and outlets far from the training data (below) without checking it there first.",
        "",
        "## Training data",
        "",
    ]
    articles = data.get("articles") or []
    if articles:
        out += ["Labeled articles (one data set per file):", ""]
        out += _table(
            ["file", "rows", "reliable / unreliable", "origin", "licence"],
            [
                [
                    f"`{f.get('path')}`",
                    str(f.get("rows", "")),
                    f"{f.get('reliable', '?')} / {f.get('unreliable', '?')}",
                    *_source(str(f.get("path"))),
                ]
                for f in articles
            ],
        )
    headlines = data.get("headlines") or []
    others = [("headlines", h) for h in ([headlines] if isinstance(headlines, Mapping) else headlines)]
    if data.get("claims"):
        others.append(("claims", data["claims"]))
    if others:
        out += ["Sub-models (the headline's clickbait probability, check-worthy claims):", ""]
        out += _table(
            ["model", "file", "rows", "positive", "origin", "licence"],
            [
                [
                    kind,
                    f"`{f.get('path')}`",
                    str(f.get("rows", "")),
                    str(f.get("positive", "")),
                    *_source(str(f.get("path"))),
                ]
                for kind, f in others
            ],
        )
    split = data.get("split") or {}
    if split:
        out += [
            f"Split: {split.get('train_rows', '?')} training and {split.get('test_rows', '?')} held-out articles "
            f"(share {split.get('test_size')}, seed {split.get('seed')}), stratified by {split.get('stratified_by', '?')}, "
            f"grouped by {split.get('grouped_by', '?')}. Every file is identified by its SHA-256 in the JSON card.",
            "",
        ]
    if data.get("reputation"):
        out += [f"Source reputation: {data['reputation']}.", ""]
    out += ["## Evaluation", ""]
    if held_out:
        out += ["Held-out articles (the split above), overall and per data set:", ""]
        out += _table(["data set", "rows", "AUC", "F1", "Brier", "ECE"], _metric_rows(held_out))
    pooled = metrics.get("held_out_cross_validated") or {}
    if pooled:
        per_fold = pooled.get("per_fold") or []
        spread = [f.get("ece") for f in per_fold if f.get("ece") is not None]
        out += [
            f"Every article held out once: the split above is one of {pooled.get('folds', '?')} stratified group "
            "folds; a model fitted the same way on the other folds scores each of the others, and the held-out "
            "rows of all folds are pooled"
            + (
                f" (one fold's ECE alone ranges from {_f(min(spread))} to {_f(max(spread))}: a few hundred rows, "
                "and which outlets each fold drew)"
                if spread
                else ""
            )
            + ":",
            "",
        ]
        out += _table(
            ["data set", "rows", "AUC", "F1", "Brier", "ECE"],
            _metric_rows({k: v for k, v in pooled.items() if isinstance(v, Mapping)}),
        )
    sets = {
        k: v
        for k, v in cross.items()
        if isinstance(v, Mapping) and "quality" in v and k not in ("random_split", "mean_left_out")
    }
    if sets:
        out += [
            "Across data sets: trained on the others, tested on the one left out, beside a TF-IDF + logistic "
            "regression baseline trained the same way (95% paired-bootstrap interval of the AUC difference):",
            "",
        ]
        rows = []
        for held, m in sets.items():
            low, high = (m.get("paired_bootstrap", {}).get("difference_95") or [None, None])[:2]
            interval = "—" if low is None else f"{low:+.3f} to {high:+.3f}"
            rows.append([held, _f(m["quality"].get("auc")), _f(m.get("tfidf_lr", {}).get("auc")), interval])
        mean = cross.get("mean_left_out")
        if isinstance(mean, Mapping):
            low, high = (mean.get("paired_bootstrap", {}).get("difference_95") or [None, None])[:2]
            interval = "—" if low is None else f"{low:+.3f} to {high:+.3f}"
            rows.append(
                [
                    "mean of the left-out sets",
                    _f(mean.get("quality", {}).get("auc")),
                    _f(mean.get("tfidf_lr", {}).get("auc")),
                    interval,
                ]
            )
        out += _table(["left out", "AUC", "TF-IDF + LR AUC", "difference"], rows)
    for key, title in (
        ("headline_model_held_out", "Headline model"),
        ("claim_model_held_out", "Claim model"),
    ):
        sub = metrics.get(key)
        if isinstance(sub, Mapping) and sub:
            table = sub if all(isinstance(v, Mapping) for v in sub.values()) else {"all": sub}
            out += [f"{title}, held out:", ""] + _table(
                ["file", "rows", "AUC", "F1", "Brier", "ECE"], _metric_rows(table)
            )
    out += ["## Limitations", ""]
    weak = [
        f"`{k}` (AUC {_f(v['quality'].get('auc'))} when left out)"
        for k, v in sets.items()
        if v["quality"].get("auc") is not None and v["quality"]["auc"] < 0.6
    ]
    if weak:
        out.append(
            "- Near chance on some data sets it was not trained on: "
            + ", ".join(weak)
            + ". Figures on a random split "
            "are higher than what a new source of articles will see; the left-out figures are the honest ones."
        )
    miscal = [
        f"`{k}` ({_f(v.get('ece'))})" for k, v in held_out.items() if k != "all" and (v.get("ece") or 0) > 0.1
    ]
    if miscal:
        out.append(
            "- Calibration differs by data set: expected calibration error above 0.1 on "
            + ", ".join(miscal)
            + "; "
            "a probability is a ranking first, and thresholds need checking on the user's own data."
        )
    out += [
        "- Labels in the training sets often rate the outlet, not the article (ReCOVery's do by design), so part "
        "of what any model learns there is an outlet's house style.",
        "- The vocabulary family learns the training period's topics (2016–2020: US politics, Syria, COVID-19); "
        "on other topics its words say little, and on these topics it may favour one side's framing.",
        "- English only; very short texts give little to judge, and the label then rests on few words.",
        "- Signals read form: satire, opinion pieces and wire copy with few quotes can be scored against their genre.",
        "",
        "## Ethical considerations",
        "",
        "- A low score is not evidence that an article is false, and a high one is not a fact-check. Showing the "
        "score without its reasons invites both readings; show the evidence.",
        "- Typos and plain or non-standard English lower the score, which weighs against small outlets, non-native "
        "writers and dialects regardless of accuracy. Review such cases before acting.",
        "- The training articles are public research data about real events and people; the model stores word "
        "weights, not articles, and processes only the text it is given.",
        "- Used to filter or rank speech at scale, its errors fall on whole outlets and communities: keep a person "
        "in the loop and audit the results by source.",
        "",
        "## Provenance",
        "",
    ]
    versions = card.get("versions") or {}
    out += [
        f"- Artifact: `{card.get('artifact', '?')}` ({card.get('format', 'joblib')}, {card.get('size_bytes', '?')} bytes), "
        f"SHA-256 `{card.get('sha256', '?')}`",
        f"- Created {card.get('created', '?')} from commit `{card.get('git_commit') or 'unknown'}` "
        f"in {card.get('train_seconds', '?')} s",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
    ]
    converted = card.get("converted_from")
    if isinstance(converted, Mapping):
        out.append(
            f"- Converted from `{converted.get('artifact')}` (SHA-256 `{converted.get('sha256')}`) on "
            f"{converted.get('at')}; the scores did not change"
        )
    hyper = card.get("hyperparameters") or {}
    if hyper:
        out.append("- Hyper-parameters: " + ", ".join(f"{k}={v}" for k, v in hyper.items() if k != "exclude"))
    dropped = (card.get("weights") or {}).get("dropped") or {}
    if dropped:
        out.append(
            f"- {len(dropped)} signal features carry no weight (excluded, or their weight came out against its "
            "expected direction): " + ", ".join(f"`{k}`" for k in dropped)
        )
    return "\n".join(out).rstrip() + "\n"


def write_markdown(card_path: str | Path, output: str | Path | None = None) -> Path:
    """Write `markdown` of the card at ``card_path`` to ``output`` (default: ``NAME.md`` beside
    it); returns the path written."""
    source = Path(card_path)
    try:
        card = json.loads(source.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"quality: model card {str(source)!r} is not valid UTF-8 JSON ({exc})") from None
    if not isinstance(card, dict):
        raise ValueError(f"quality: model card {str(source)!r} is not a JSON object")
    target = Path(output) if output is not None else source.with_suffix(".md")
    target.write_text(markdown(card), encoding="utf-8")
    return target
