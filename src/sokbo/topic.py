"""Headline topic classifier: 7 KLUE-YNAT labels, numpy-only prediction, < 0.1 ms per headline.

Model: NB-SVM (Wang & Manning 2012) on character n-grams. A headline is lower-cased (after NFC),
cut into sklearn ``char_wb`` 1–3-grams (n-grams inside whitespace-separated words, padded with
one space), weighted ``(1 + ln tf) · idf`` and L2-normalised, exactly like sklearn's
``TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)``. Each label has a
one-vs-rest ``LinearSVC`` trained on the features scaled by that label's Naive Bayes log-count
ratio; the scaling folds into the coefficients, so prediction is one sparse dot product per label.

The shipped file (``data/topic-model.npz``) holds only plain arrays (vocabulary as UTF-8 bytes,
idf, coefficients, intercepts, a JSON header): no pickle, no sklearn needed to predict.
sklearn is imported only by :func:`train_topic`.
"""
from __future__ import annotations

import functools
import json
import math
import os
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sokbo.errors import ConfigError, InputError

__all__ = [
    "DEFAULT_MODEL_PATH",
    "LABELS",
    "TopicModel",
    "classify_topic",
    "classify_topics",
    "evaluate_topic",
    "load_topic_model",
    "story_topic",
    "train_topic",
]

# KLUE-YNAT label order (= label_id 0..6, also sorted order)
LABELS: tuple[str, ...] = ("IT과학", "경제", "사회", "생활문화", "세계", "스포츠", "정치")
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "topic-model.npz"
FORMAT = "sokbo-topic/1"

# Hyper-parameters. NGRAM_RANGE, MIN_DF and ALPHA were chosen by 5-fold CV on train+dev and
# on dev (see data/README.md); C is picked on dev.jsonl by train_topic from C_GRID.
NGRAM_RANGE = (1, 3)
MIN_DF = 2
ALPHA = 1.0  # Laplace smoothing of the NB log-count ratios
C_GRID = (0.05, 0.1, 0.2)
SEED = 0

# A post's tag: no tag rather than a wrong one. The floor is the margin between the best and the
# second-best label score, chosen on ynat/dev.jsonl with a model trained on train.jsonl only
# (precision 0.927 at coverage 0.844 there; on the held-out test.jsonl the shipped model tags
# 85.3 % of headlines, 91.3 % of them right, where tagging all is 85.7 % right).
TAG_MARGIN = 0.3
# Lead sentences read beside the headline: a headline alone is often a quote or a name
# ("권경애 \"어떤 변명도 안 통할 것\""), and the model knows headline-sized texts, so each lead
# sentence is scored on its own and their mean weighs as much as the headline.
LEAD_SENTENCES = 2


# --------------------------------------------------------------------------- features
def _preprocess(text: str) -> str:
    """NFC (folds CJK compatibility ideographs such as 女 U+F98E) then lower-case."""
    return unicodedata.normalize("NFC", text).lower()


def _char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """sklearn's ``_VectorizerMixin._char_wb_ngrams``, line for line.

    sklearn first collapses runs of 2+ whitespace to one space; ``str.split()`` then splits on
    any whitespace, so that step changes nothing here and is omitted.
    """
    ngrams: list[str] = []
    append = ngrams.append
    for w in text.split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(min_n, max_n + 1):
            offset = 0
            append(w[offset : offset + n])
            while offset + n < w_len:
                offset += 1
                append(w[offset : offset + n])
            if offset == 0:  # a short word (w_len < n) is counted once
                break
    return ngrams


# --------------------------------------------------------------------------- model
@dataclass(frozen=True, eq=False)
class TopicModel:
    """A loaded classifier: vocabulary → (idf, per-label coefficients)."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray  # (V,) float64
    coef: np.ndarray  # (V, K) float64, rows gathered per headline
    intercept: np.ndarray  # (K,) float64
    ngram_range: tuple[int, int] = NGRAM_RANGE
    sublinear_tf: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def features(self, headline: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, L2-normalised tf-idf values) of one headline."""
        vocab = self.vocabulary
        counts: dict[int, int] = {}
        for g in _char_wb_ngrams(_preprocess(headline), *self.ngram_range):
            j = vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[idx]
        norm = math.sqrt(float(values @ values))
        if norm > 0.0:
            values /= norm
        return idx, values

    def decision(self, headline: str) -> np.ndarray:
        """Per-label scores (K,), higher = more likely; argmax is the prediction."""
        if not isinstance(headline, str) or not headline.strip():
            raise InputError(f"cannot classify an empty headline: {headline!r}")
        idx, values = self.features(headline)
        return values @ self.coef[idx] + self.intercept

    def predict(self, headline: str) -> str:
        return self.labels[int(np.argmax(self.decision(headline)))]

    def predict_many(self, headlines: Sequence[str]) -> list[str]:
        return [self.predict(h) for h in headlines]


def _bytes_field(data: Any, key: str) -> str:
    return bytes(np.asarray(data[key], dtype=np.uint8)).decode("utf-8")


def _read_model(path: Path) -> TopicModel:
    if not path.is_file():
        raise ConfigError(f"topic model not found: {path} (run `sokbo train topic`)")
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(_bytes_field(data, "meta"))
            if meta.get("format") != FORMAT:
                raise ConfigError(f"not a {FORMAT} model: {path}")
            terms = _bytes_field(data, "vocab").split("\n")
            idf = np.asarray(data["idf"], dtype=np.float64)
            coef = np.ascontiguousarray(data["coef"], dtype=np.float64)
            intercept = np.asarray(data["intercept"], dtype=np.float64)
    except ConfigError:
        raise
    except Exception as e:  # zip/npz/JSON/Unicode errors: one line for the user
        raise ConfigError(f"unreadable topic model {path}: {type(e).__name__}: {e}") from e
    labels = tuple(meta.get("labels") or ())
    v, k = len(terms), len(labels)
    if (
        k < 2
        or idf.shape != (v,)
        or coef.shape != (v, k)
        or intercept.shape != (k,)
        or meta.get("analyzer") != "char_wb"
    ):
        raise ConfigError(f"corrupt topic model {path}: array shapes or header do not match")
    lo, hi = meta["ngram_range"]
    return TopicModel(
        labels=labels,
        vocabulary=dict(zip(terms, range(v), strict=True)),
        idf=idf,
        coef=coef,
        intercept=intercept,
        ngram_range=(int(lo), int(hi)),
        sublinear_tf=bool(meta.get("sublinear_tf", True)),
        meta=meta,
        path=path,
    )


_load_lock = threading.Lock()


@functools.lru_cache(maxsize=4)
def _cached_model(path: Path, mtime_ns: int) -> TopicModel:
    return _read_model(path)


def load_topic_model(path: Path | None = None) -> TopicModel:
    """The model at ``path`` (default: the shipped one), loaded once per process and file version.

    Raises:
        ConfigError: the file is missing, unreadable or not a sokbo topic model.
    """
    p = Path(path).resolve() if path is not None else DEFAULT_MODEL_PATH
    try:
        mtime = p.stat().st_mtime_ns
    except OSError:
        raise ConfigError(f"topic model not found: {p} (run `sokbo train topic`)") from None
    with _load_lock:
        return _cached_model(p, mtime)


def classify_topic(headline: str) -> str:
    """The topic label (one of :data:`LABELS`) of one Korean news headline.

    Raises:
        InputError: the headline is empty.
        ConfigError: the shipped model cannot be loaded.
    """
    return load_topic_model().predict(headline)


def classify_topics(headlines: list[str]) -> list[str]:
    """:func:`classify_topic` for each headline, in order."""
    return load_topic_model().predict_many(headlines)


def story_topic(
    headline: str,
    lead: Sequence[str] = (),
    *,
    margin: float = TAG_MARGIN,
    model: TopicModel | None = None,
) -> str | None:
    """The topic of a story from its headline and first :data:`LEAD_SENTENCES` lead sentences,
    or None when the best label does not beat the second by ``margin`` (no tag is better than
    a wrong one).

    The headline is read without newsroom tags ("[단독]", "[SC현장]": SC is a sports paper's
    name, not the topic).

    Raises:
        InputError: the headline is empty.
        ConfigError: the model cannot be loaded.
    """
    from sokbo.korean.title import strip_headline_tags

    model = model or load_topic_model()
    scores = model.decision(strip_headline_tags(headline) or headline)
    sentences = [s for s in lead if s.strip()][:LEAD_SENTENCES]
    if sentences:
        scores = (scores + sum(model.decision(s) for s in sentences) / len(sentences)) / 2
    best, second = np.sort(scores)[-2:][::-1]
    if best - second < margin:
        return None
    return model.labels[int(np.argmax(scores))]


# --------------------------------------------------------------------------- data & metrics
def _read_jsonl(path: Path) -> tuple[list[str], list[str]]:
    """(titles, labels) of a YNAT-style JSONL file; InputError names the file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"headline data not found: {path}")
    titles: list[str] = []
    labels: list[str] = []
    try:
        with path.open(encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    title, label = row["title"], row["label"]
                except (json.JSONDecodeError, KeyError, TypeError) as e:
                    raise InputError(
                        f"{path}:{lineno}: expected a JSON object with 'title' and 'label' ({e})"
                    ) from None
                if not isinstance(title, str) or not isinstance(label, str) or not title.strip():
                    raise InputError(f"{path}:{lineno}: 'title' and 'label' must be non-empty text")
                titles.append(title)
                labels.append(label)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not titles:
        raise InputError(f"{path}: no headlines")
    return titles, labels


def _macro_f1(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float, dict[str, float]]:
    """(macro-F1 over the gold labels ∪ predicted labels, accuracy, per-label F1) — sklearn's
    ``f1_score(average="macro")`` without sklearn."""
    labels = sorted(set(gold) | set(pred))
    per: dict[str, float] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        per[lab] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
    return sum(per.values()) / len(per), acc, per


def evaluate_topic(test_path: Path, model_path: Path | None = None) -> dict[str, Any]:
    """Macro-F1 and accuracy of the model on a JSONL file of ``{"title", "label"}`` rows.

    Returns ``{"macro_f1", "accuracy", "n", "ms_per_headline", "load_ms", "per_label_f1"}``;
    ``ms_per_headline`` is the mean single-headline prediction time (model already loaded).
    """
    titles, gold = _read_jsonl(Path(test_path))
    t0 = time.perf_counter()
    model = load_topic_model(model_path)
    load_ms = (time.perf_counter() - t0) * 1000
    t1 = time.perf_counter()
    pred = model.predict_many(titles)
    ms = (time.perf_counter() - t1) * 1000 / len(titles)
    f1, acc, per = _macro_f1(gold, pred)
    return {
        "macro_f1": round(f1, 4),
        "accuracy": round(acc, 4),
        "n": len(titles),
        "ms_per_headline": round(ms, 4),
        "load_ms": round(load_ms, 1),
        "per_label_f1": {k: round(v, 4) for k, v in per.items()},
    }


# --------------------------------------------------------------------------- training
def _vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    """The sklearn twin of :meth:`TopicModel.features` (used to train and to check it)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        preprocessor=_preprocess,
        sublinear_tf=True,
        min_df=1 if vocabulary is not None else MIN_DF,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def _fit_nbsvm(x: Any, y: np.ndarray, labels: Sequence[str], c: float) -> tuple[np.ndarray, ...]:
    """One-vs-rest NB-SVM; returns (coef (V, K), intercept (K,)) on the unscaled features."""
    import scipy.sparse as sp
    from sklearn.svm import LinearSVC

    present = (x > 0).astype(np.float64).tocsr()
    coef = np.zeros((x.shape[1], len(labels)))
    intercept = np.zeros(len(labels))
    for k, lab in enumerate(labels):
        pos = y == lab
        p = ALPHA + np.asarray(present[pos].sum(axis=0)).ravel()
        q = ALPHA + np.asarray(present[~pos].sum(axis=0)).ravel()
        r = np.log(p / p.sum()) - np.log(q / q.sum())
        svm = LinearSVC(C=c, dual=True, max_iter=10_000, random_state=SEED)
        svm.fit(x @ sp.diags(r), pos)
        coef[:, k] = svm.coef_.ravel() * r
        intercept[k] = svm.intercept_[0]
    return coef, intercept


def _sk_predict(vec: Any, coef: np.ndarray, intercept: np.ndarray,
                labels: Sequence[str], titles: Sequence[str]) -> list[str]:
    scores = vec.transform(titles) @ coef + intercept
    return [labels[i] for i in np.asarray(scores).argmax(axis=1)]


def _write_model(out_path: Path, vec: Any, coef: np.ndarray, intercept: np.ndarray,
                 labels: Sequence[str], meta: dict[str, Any]) -> None:
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    if any("\n" in t for t in terms):  # cannot happen: n-grams never contain whitespace but ' '
        raise ConfigError("topic vocabulary contains a newline")
    header = {
        "format": FORMAT,
        "analyzer": "char_wb",
        "preprocess": "NFC+lower",
        "ngram_range": list(NGRAM_RANGE),
        "sublinear_tf": True,
        "norm": "l2",
        "labels": list(labels),
        **meta,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=".topic-", suffix=".npz")
    os.close(fd)
    try:
        np.savez_compressed(
            tmp,
            meta=np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), np.uint8),
            vocab=np.frombuffer("\n".join(terms).encode("utf-8"), np.uint8),
            idf=vec.idf_.astype(np.float32),
            coef=coef.astype(np.float32),
            intercept=intercept.astype(np.float64),
        )
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; package data must be world-readable
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def train_topic(train_path: Path, out_path: Path, dev_path: Path | None = None) -> dict[str, Any]:
    """Train the classifier on ``train_path`` and write it to ``out_path`` (an ``.npz``).

    With ``dev_path``: C is chosen from :data:`C_GRID` by dev macro-F1 (models trained on train
    only), then the final model is refit on train + dev with that C. Deterministic: no random
    splits, ``LinearSVC(random_state=0)``; the same data gives the same file.

    Returns the training report (dev metrics, C grid, feature count, file size, seconds, and the
    share of headlines on which the numpy predictor agrees with the sklearn pipeline).

    Raises:
        InputError: a data file is missing, empty or malformed.
        ConfigError: scikit-learn is not installed.
    """
    t0 = time.perf_counter()
    train_path, out_path = Path(train_path), Path(out_path)
    x_train, y_train = _read_jsonl(train_path)
    x_dev, y_dev = _read_jsonl(Path(dev_path)) if dev_path is not None else ([], [])
    labels = tuple(sorted(set(y_train)))
    if len(labels) < 2:
        raise InputError(f"{train_path}: need at least two labels, found {list(labels)}")
    try:
        import sklearn
    except ImportError:
        raise ConfigError("training needs scikit-learn: pip install scikit-learn") from None

    report: dict[str, Any] = {"n_train": len(x_train), "n_dev": len(x_dev)}
    c_best = C_GRID[len(C_GRID) // 2]
    if x_dev:
        vec = _vectorizer()
        x = vec.fit_transform(x_train)
        grid = {}
        for c in C_GRID:
            coef, intercept = _fit_nbsvm(x, np.asarray(y_train), labels, c)
            pred = _sk_predict(vec, coef, intercept, labels, x_dev)
            f1, acc, _ = _macro_f1(y_dev, pred)
            grid[c] = (round(f1, 4), round(acc, 4))
        c_best = max(C_GRID, key=lambda c: grid[c][0])  # first best on ties
        report["dev_macro_f1"], report["dev_accuracy"] = grid[c_best]
        report["c_grid_dev_macro_f1"] = {str(c): v[0] for c, v in grid.items()}
    report["C"] = c_best

    # final model: train (+ dev when given)
    x_all, y_all = x_train + x_dev, y_train + y_dev
    vec = _vectorizer()
    x = vec.fit_transform(x_all)
    coef, intercept = _fit_nbsvm(x, np.asarray(y_all), labels, c_best)
    trained_on = [train_path.name] + ([Path(dev_path).name] if x_dev else [])
    _write_model(out_path, vec, coef, intercept, labels, {
        "model": "NB-SVM (one-vs-rest LinearSVC on NB log-count-ratio scaled tf-idf)",
        "C": c_best,
        "min_df": MIN_DF,
        "alpha": ALPHA,
        "trained_on": trained_on,
        "n_train": len(x_all),
        "sklearn_version": sklearn.__version__,
        "dev_macro_f1": report.get("dev_macro_f1"),
    })

    # the numpy predictor read back from the file must agree with the sklearn pipeline
    check = x_dev or x_train[:5000]
    sk_pred = _sk_predict(vec, coef, intercept, labels, check)
    np_pred = _read_model(out_path).predict_many(check)
    report["numpy_sklearn_agreement"] = round(
        sum(a == b for a, b in zip(sk_pred, np_pred, strict=True)) / len(check), 5)
    report["features"] = len(vec.vocabulary_)
    report["model_bytes"] = out_path.stat().st_size
    report["train_seconds"] = round(time.perf_counter() - t0, 1)
    report["out"] = str(out_path)
    return report
