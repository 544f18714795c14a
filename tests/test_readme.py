"""The README's model figures are the card's (nobody copies figures by hand)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rows(readme: str, header: str, occurrence: int = 1) -> dict[str, list[str]]:
    table = readme.split(header, occurrence + 1)[occurrence].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def test_readme_held_out_table_matches_the_card(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = _rows(readme, "| data set | rows | AUC | F1 | Brier | ECE |")
    held_out = model.card["metrics"]["held_out"]
    assert set(rows) == set(held_out)
    for name, m in held_out.items():
        assert rows[name] == [str(m["rows"])] + [f"{m[k]:.3f}" for k in ("auc", "f1", "brier", "ece")], name


def test_readme_pooled_held_out_tables_match_the_card(model):
    """The second table of that header is every article held out once, then one row per fold."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = _rows(readme, "| data set | rows | AUC | F1 | Brier | ECE |", occurrence=2)
    pooled = model.card["metrics"]["held_out_cross_validated"]
    tables = {k: v for k, v in pooled.items() if isinstance(v, dict)}
    assert set(rows) == set(tables) and rows["all"][0] == str(sum(f["rows"] for f in pooled["per_fold"]))
    for name, m in tables.items():
        assert rows[name] == [str(m["rows"])] + [f"{m[k]:.3f}" for k in ("auc", "f1", "brier", "ece")], name
    folds = _rows(readme, "| fold | rows | AUC | ECE |")
    assert len(folds) == pooled["folds"]
    for (name, cells), m in zip(folds.items(), pooled["per_fold"], strict=True):
        assert name.split()[0] == str(m["fold"]) and cells == [
            str(m["rows"]),
            f"{m['auc']:.3f}",
            f"{m['ece']:.3f}",
        ]


def test_readme_cross_dataset_table_matches_the_card(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = _rows(readme, "| held out | ours AUC | TF-IDF + LR AUC | difference, 95% interval | ours ECE |")
    cross = {k: v for k, v in model.card["metrics"]["leave_one_dataset_out"].items() if k != "ablation"}
    assert set(rows) == set(cross)
    for name, m in cross.items():
        low, high = m["paired_bootstrap"]["difference_95"]
        ece = m["quality"].get("ece")
        expected = [
            f"{m['quality']['auc']:.3f}",
            f"{m['tfidf_lr']['auc']:.3f}",
            f"{low:+.3f} to {high:+.3f}",
            f"{ece:.3f}" if ece is not None else "—",
        ]
        assert rows[name] == expected, name


def test_readme_ablation_table_matches_the_card(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = _rows(readme, "| left out of the model | weight per SD | mean left-out AUC without it | change |")
    ablation = model.card["metrics"]["leave_one_dataset_out"]["ablation"]
    weights = model.card["weights"]
    assert rows["(nothing)"] == ["—", f"{ablation['full']['mean']:.3f}", "—"]
    shown = {
        k: v
        for k, v in ablation["without"].items()
        if "." not in k or k.startswith("style.") or k == "filler.lexical_density"
    }
    assert set(rows) - {"(nothing)"} == set(shown)
    for name, m in shown.items():
        if name == "family:vocabulary":
            weight = weights["vocabulary"]
        elif name.startswith("family:"):
            prefix = name.split(":", 1)[1] + "."
            weight = sum(
                w
                for f, w in weights["signals_per_sd"].items()
                if f.startswith(prefix) and f != "filler.lexical_density"
            )
        else:
            weight = weights["signals_per_sd"][name]
        assert rows[name] == [f"{weight:+.3f}", f"{m['mean']:.3f}", f"{m['change']:+.3f}"], name


def test_readme_reason_rates_match_the_card(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = _rows(readme, "| reason | reliable held-out articles | unreliable held-out articles |")
    rates = model.card["metrics"]["reasons_held_out"]
    assert set(rows) == set(rates)
    for name, r in rates.items():
        assert rows[name] == [f"{r['reliable']:.0%}", f"{r['unreliable']:.0%}"], name


def test_readme_sub_model_figures_match_the_card(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headline = model.card["metrics"]["headline_model_held_out"]
    claims = model.card["metrics"]["claim_model_held_out"]
    assert (
        f"Stop Clickbait: AUC {headline['stop_clickbait']['auc']:.3f}, F1 {headline['stop_clickbait']['f1']:.3f}"
        in readme
    )
    assert f"pairs: AUC {headline['headlines']['auc']:.3f}, F1 {headline['headlines']['f1']:.3f}" in readme
    assert f"AUC {claims['auc']:.3f}, F1 {claims['f1']:.3f}" in readme
    assert f"({model.card['size_bytes'] / 1e6:.2f} MB)" in readme


def test_readme_clef_figure_is_what_evaluate_prints(model, corpora):
    from quality.training import evaluate_claims

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    clef = evaluate_claims(model, [corpora / "claims" / "clef19_train.csv"])["clef19_train"]
    assert (
        f"AUC {clef['auc']:.3f} (`quality evaluate --claims ../shared/corpora/claims/clef19_train.csv`"
        in readme
    )
    assert f"{clef['rows']:,} distinct lines" in readme
    assert f"F1 is low there, {clef['f1']:.3f}" in readme
