"""The writer's TF-IDF (plain numpy) weighs and ranks sentences as scikit-learn's does."""
from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest

from sokbo.write.salience import content_terms, salience, tfidf_similarity

TEXTS = [
    "서울시는 3일 한강 공원 세 곳에 야간 쉼터를 새로 열었습니다.",
    "쉼터는 오후 6시부터 자정까지 운영되며 누구나 무료로 이용할 수 있습니다.",
    "시는 이번 달 안에 공원 두 곳에 쉼터를 더 열 계획입니다.",
    "한강 공원 쉼터에는 첫날에만 시민 1200명이 찾았습니다.",
    "한 시민은 밤에도 쉴 곳이 생겨 반갑다고 말했습니다.",
    "서울시 관계자는 이용자 의견을 들어 운영 시간을 조정하겠다고 밝혔습니다.",
    "",
]


def _sklearn_similarity(docs: list[list[str]]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True).fit_transform(docs)
    return (x @ x.T).toarray()


def _random_docs(seed: int, n: int, vocab: int) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"낱말{i}" for i in range(vocab)]
    return [[rng.choice(words[: rng.randint(3, vocab)]) for _ in range(rng.randint(1, 30))]
            for _ in range(n)]


@pytest.mark.parametrize(("seed", "n", "vocab"), [(1, 2, 3), (2, 40, 25), (3, 300, 2000)])
def test_similarity_equals_sklearn(seed: int, n: int, vocab: int) -> None:
    docs = _random_docs(seed, n, vocab)
    assert np.allclose(tfidf_similarity(docs), _sklearn_similarity(docs), rtol=0, atol=1e-12)


def test_similarity_of_real_sentences_with_a_headline_equals_sklearn() -> None:
    docs = [t or ["∅"] for t in content_terms(TEXTS)] + [content_terms(["한강 공원 야간 쉼터"])[0]]
    assert np.allclose(tfidf_similarity(docs), _sklearn_similarity(docs), rtol=0, atol=1e-12)


def test_salience_ranks_sentences_as_with_sklearn(monkeypatch) -> None:
    terms = content_terms(TEXTS)
    title = content_terms(["서울시 한강 공원 야간 쉼터 개장"])[0]
    args = (terms, list(range(len(terms))))
    kw = {"title_terms": title, "weights": (1.0, 0.5, 0.3)}
    ours, _ = salience(*args, **kw)
    # the module, not the function `sokbo.write` re-exports under the same name
    monkeypatch.setattr(sys.modules["sokbo.write.salience"], "tfidf_similarity",
                        _sklearn_similarity)
    theirs, _ = salience(*args, **kw)
    assert np.allclose(ours, theirs, rtol=0, atol=1e-12)
    assert list(np.argsort(-ours, kind="stable")) == list(np.argsort(-theirs, kind="stable"))


def test_writing_a_post_does_not_import_sklearn_or_scipy() -> None:
    code = (
        "import sys\n"
        "from sokbo.write.salience import salience\n"
        "salience([['가', '나'], ['나', '다'], []], [0, 1, 2], title_terms=['가'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
