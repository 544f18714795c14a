"""The scope guard: articles the model cannot judge (not English, too short) are labeled out_of_scope."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pandas as pd
import pytest

import quality
from quality.cli import main
from quality.scope import MIN_WORDS, OUT_OF_SCOPE, detect_language, out_of_scope, word_count
from tests import resources as R

# Written for this test: a plain news story in Spanish, long enough to be judged if it were English.
SPANISH_TITLE = "El ayuntamiento aprueba el presupuesto de 2027 con los votos de la oposición"
SPANISH_BODY = (
    "El pleno del ayuntamiento aprobó el martes el presupuesto municipal para 2027, que asciende a "
    "412 millones de euros, con los votos a favor del gobierno local y de dos grupos de la oposición. "
    "Según explicó la concejala de Hacienda, Marta Ibáñez, las cuentas destinan un once por ciento más "
    "a la limpieza de las calles y al transporte público, y congelan por tercer año consecutivo el "
    "impuesto sobre bienes inmuebles.\n\n"
    '"Hemos cuadrado las cuentas sin recortar ningún servicio", dijo Ibáñez a los periodistas al '
    "término de la sesión. El portavoz del principal partido de la oposición, Jorge Salinas, criticó "
    "que el plan de vivienda se retrase otra vez y anunció que su grupo presentará alegaciones durante "
    "el periodo de exposición pública, que termina el 15 de enero.\n\n"
    "El presupuesto entrará en vigor el próximo año si no prosperan las alegaciones."
)
ENGLISH_BODY = (
    "The city council approved the 2027 budget on Tuesday, according to the council's minutes. "
    '"We have balanced the books without cutting services," said Mayor Ana Ruiz after the vote. '
    "Finance director Tom Bell told reporters the deficit had fallen to 2 million euros, and that "
    "spending on street cleaning and public transport would rise by eleven percent. The opposition "
    "leader, Jorge Salinas, said his group would lodge objections during the public consultation, "
    "which ends on 15 January."
)


def test_the_spanish_article_is_long_enough_to_judge_by_length_alone():
    assert word_count(SPANISH_BODY) >= 2 * MIN_WORDS
    assert word_count(ENGLISH_BODY) >= MIN_WORDS


def test_a_spanish_article_is_out_of_scope_with_the_language_named(model):
    report = quality.score({"title": SPANISH_TITLE, "body": SPANISH_BODY}, model=model)
    assert report.language == "es"
    assert report.label == OUT_OF_SCOPE
    assert report.out_of_scope == "language 'es', not English"
    assert 0.0 <= report.reliability <= 1.0  # still computed, and still additive
    assert report.intercept + sum(report.contributions.values()) == pytest.approx(report.logit)


def test_a_batch_detects_each_articles_own_language(model):
    """Languages are detected for the whole batch before the reports are built: each report
    gets its own article's."""
    items = [
        {"title": "City approves 2027 budget", "body": ENGLISH_BODY},
        {"title": SPANISH_TITLE, "body": SPANISH_BODY},
        {"title": "", "body": "2024 - 2025 / 17 % 3"},
        {"title": "City approves 2027 budget", "body": ENGLISH_BODY},
    ]
    reports = list(quality.score_many(items, model=model))
    assert [r.language for r in reports] == ["en", "es", None, "en"]
    assert [r.label == OUT_OF_SCOPE for r in reports] == [False, True, True, False]


def test_a_three_word_body_is_out_of_scope_as_too_short(model):
    report = quality.score({"title": R.NEWS_TITLES[1], "body": "Parliament passed it."}, model=model)
    assert report.word_count == 3
    assert report.label == OUT_OF_SCOPE
    assert report.out_of_scope.startswith("too short: 3 words in the body, under the ")


def test_an_english_article_of_enough_words_is_judged(model):
    report = quality.score({"title": "City approves 2027 budget", "body": ENGLISH_BODY}, model=model)
    assert (report.language, report.out_of_scope) == ("en", None)
    assert report.label in ("reliable", "uncertain", "unreliable")


@pytest.mark.parametrize(
    ("language", "words", "expected"),
    [
        pytest.param("en", MIN_WORDS, None, id="English at the threshold is in scope"),
        pytest.param("en", MIN_WORDS - 1, "too short: ", id="one word under the threshold is too short"),
        pytest.param(
            "nl", 2, "too short: ", id="a two-word text's language guess is not given as the reason"
        ),
        pytest.param("fr", 400, "language 'fr', not English", id="French of any length is out"),
        pytest.param(None, 400, "no language detected", id="a text without letters has no language"),
    ],
)
def test_out_of_scope_reasons(language, words, expected):
    why = out_of_scope(language, words)
    assert why == expected if expected is None else why.startswith(expected)


def test_a_text_without_letters_has_no_language():
    assert detect_language("", "12 345 678 -- 90") is None


def test_the_detector_loads_from_the_installed_package_without_network():
    # Sockets are refused in the child: a detector that fetched its model would fail here.
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from quality.scope import detect_language\n"
        f"print(detect_language({SPANISH_TITLE!r}, {SPANISH_BODY!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "es"


def test_detecting_the_language_costs_about_a_millisecond_an_article():
    detect_language("warm up", ENGLISH_BODY)  # loads the detector
    long_body = ENGLISH_BODY * 20  # only the first LANGUAGE_SAMPLE characters are read
    start = time.perf_counter()
    for _ in range(200):
        detect_language("City approves 2027 budget", long_body)
    per_article = (time.perf_counter() - start) / 200
    assert per_article < 0.005  # about 1.5 ms here; the scoring of one article takes about 17 ms


def test_cli_rows_say_language_words_and_why(tmp_path, capsys):
    path = tmp_path / "mixed.jsonl"
    records = [
        {"id": "es", "title": SPANISH_TITLE, "body": SPANISH_BODY},
        {"id": "short", "title": R.NEWS_TITLES[1], "body": "Parliament passed it."},
        {"id": "en", "title": "City approves 2027 budget", "body": ENGLISH_BODY},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["score", str(path)]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert len(rows) == 3  # one row per record, in scope or not
    assert (rows["es"]["label"], rows["es"]["language"], rows["es"]["out_of_scope"]) == (
        OUT_OF_SCOPE,
        "es",
        "language 'es', not English",
    )
    assert rows["short"]["label"] == OUT_OF_SCOPE and rows["short"]["words"] == 3
    assert rows["en"]["out_of_scope"] is None and rows["en"]["language"] == "en"
    assert rows["en"]["words"] == word_count(ENGLISH_BODY)


def test_score_frame_has_the_scope_columns(model):
    frame = pd.DataFrame(
        {"title": [SPANISH_TITLE, "City approves 2027 budget"], "body": [SPANISH_BODY, ENGLISH_BODY]}
    )
    out = quality.score_frame(frame, model=model)
    assert out["label"].tolist()[0] == OUT_OF_SCOPE
    assert out["language"].tolist() == ["es", "en"]
    assert out["out_of_scope"].isna().tolist() == [False, True]


def test_explanations_say_why_an_article_is_out_of_scope(model, capsys, tmp_path):
    from quality.article import Article
    from quality.batch_report import report_from_row
    from quality.html import explanation_page

    article = Article(SPANISH_TITLE, SPANISH_BODY, id="es")
    path = tmp_path / "es.jsonl"
    path.write_text(json.dumps({"id": "es", "title": SPANISH_TITLE, "body": SPANISH_BODY}) + "\n")
    assert main(["explain", str(path)]) == 0
    assert "out of scope: language 'es', not English" in capsys.readouterr().out
    report = quality.score(article, model=model)
    assert "Out of scope: language &#x27;es&#x27;, not English" in explanation_page([(report, article)])
    again = report_from_row(report.to_row(explain=True))  # as the batch report reads rows back
    assert (again.label, again.out_of_scope) == (OUT_OF_SCOPE, report.out_of_scope)


_LANGUAGE_SAMPLES = [
    "Flood closes schools\nTwelve schools closed on Monday after the river rose.",
    "Inundaciones cierran escuelas\nDoce escuelas cerraron el lunes tras la crecida del río.",
    "Überschwemmung schließt Schulen\nZwölf Schulen blieben am Montag geschlossen.",
    "ΟΔΟΣ'Α İstanbul 日本語のテキスト 🙂🙂🙂",
    "STORM HITS COAST",
    "a",
    "",
    "12 345 678",
    "ab",
    "abc",
    "abcde",
]


def test_the_language_detector_walks_as_py3langid_does(corpora):
    """`quality.scope` walks py3langid's automaton in numpy (`_walk`): every score of every
    language must be py3langid's own, on the corpora's samples and on odd texts."""
    import json

    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from quality.scope import LANGUAGE_SAMPLE, _identifier

    samples = list(_LANGUAGE_SAMPLES)
    for path in sorted((corpora / "articles").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in list(fh)[::10]:
                row = json.loads(line)
                samples.append(f"{row.get('title') or ''}\n{(row.get('body') or '')[:LANGUAGE_SAMPLE]}")
    ours, theirs = _identifier(), LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    assert type(ours) is not LanguageIdentifier  # the numpy walk is the one tested
    for text in samples:
        assert np.array_equal(ours._decide(text), theirs._decide(text)), text[:60]
        assert ours.classify(text) == theirs.classify(text)


def test_a_walk_the_window_cannot_make_is_left_to_py3langid():
    """With too short a window the states found are not the automaton's: `_walk` says so
    (None) instead of counting the wrong features."""
    from py3langid.langid import visit_counts

    from quality.scope import _identifier, _walk

    detector = _identifier()
    text = detector._encode(_LANGUAGE_SAMPLES[0])
    expected = visit_counts(detector.tk_nextmove, detector._rowbase, detector.tk_output, text)
    got = _walk(detector._tables, text)
    assert list(got.items()) == list(expected.items())  # the same counts, met in the same order
    assert _walk(detector._tables, text, window=1) is None
