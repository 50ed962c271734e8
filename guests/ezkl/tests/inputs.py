"""Inputs for the tests: spec/FORMAT.md's input.bin of an affine model over n
samples, made here from a seed (the host's tests need no export, no Node)."""

import itertools
import random
import struct

from zkml_ezkl import spec

FRAC_BITS = 16


def _words(ws: list) -> bytes:
    return struct.pack(f"<{len(ws)}I", *[w & 0xFFFFFFFF for w in ws])


def affine_model(d: int, seed: int = 1) -> bytes:
    """model.bin of an affine model with d features (Q16 weights in ±0.75, a small bias)."""
    r = random.Random(seed)
    one = 1 << FRAC_BITS
    header = [spec.MODEL_MAGIC, 1, spec.KIND_AFFINE, FRAC_BITS, d, d, 0, r.randint(-2 * one, 2 * one)]
    terms = [1 | (j << 8) for j in range(d)]
    weights = [r.randint(-3 * one // 4, 3 * one // 4) for _ in range(d)]
    return _words(header + terms + weights)


def testset(n: int, d: int, seed: int = 2) -> bytes:
    """testset.bin of n rows (d features in ±4, a target in ±6, Q16)."""
    r = random.Random(seed)
    one = 1 << FRAC_BITS
    rows = []
    for _ in range(n):
        rows += [r.randint(-4 * one, 4 * one) for _ in range(d)] + [r.randint(-6 * one, 6 * one)]
    return _words([spec.TESTSET_MAGIC, 1, n, d, FRAC_BITS] + rows)


def affine_input(n: int, d: int = 7, seed: int = 1) -> bytes:
    """input.bin = header ‖ model.bin ‖ testset.bin (spec/FORMAT.md, "Guest input")."""
    model, data = affine_model(d, seed), testset(n, d, seed + 1)
    return _words([spec.INPUT_MAGIC, 1, len(model) // 4, len(data) // 4]) + model + data


def poly_model(d: int, terms: list, frac_bits: int = FRAC_BITS, z_clip: float = 4.0, seed: int = 1) -> bytes:
    """model.bin of a polynomial model: d features, the given terms (lists of
    non-decreasing feature indices, degree 1-3), z_clip in standard deviations,
    means in ±2, 1/σ in [0.25, 2], weights in ±0.75 (all Q(frac_bits))."""
    r = random.Random(seed)
    one = 1 << frac_bits
    header = [spec.MODEL_MAGIC, 1, spec.KIND_POLY, frac_bits, d, len(terms), round(z_clip * one), r.randint(-2 * one, 2 * one)]
    mean = [r.randint(-2 * one, 2 * one) for _ in range(d)]
    inv_std = [r.randint(one // 4, 2 * one) for _ in range(d)]
    words = [len(t) | sum(j << (8 * (k + 1)) for k, j in enumerate(t)) for t in terms]
    weights = [r.randint(-3 * one // 4, 3 * one // 4) for _ in terms]
    return _words(header + mean + inv_std + words + weights)


def all_terms(d: int, degree: int) -> list:
    """Every monomial of degree 1 … degree over d features, as poly-ridge exports them."""
    return [list(t) for g in range(1, degree + 1) for t in itertools.combinations_with_replacement(range(d), g)]


def poly_input(
    n: int, d: int, terms: list, frac_bits: int = FRAC_BITS, z_clip: float = 4.0, spread: float = 4.0, seed: int = 1
) -> bytes:
    """input.bin of poly_model over n samples whose features lie in ±spread (so
    that some standardize beyond z_clip) and targets in ±6."""
    model = poly_model(d, terms, frac_bits, z_clip, seed)
    r = random.Random(seed + 1)
    one = 1 << frac_bits
    rows = []
    for _ in range(n):
        rows += [r.randint(round(-spread * one), round(spread * one)) for _ in range(d)] + [r.randint(-6 * one, 6 * one)]
    data = _words([spec.TESTSET_MAGIC, 1, n, d, frac_bits] + rows)
    return _words([spec.INPUT_MAGIC, 1, len(model) // 4, len(data) // 4]) + model + data


def tie_input() -> bytes:
    """input.bin of a spec-valid affine model (F = 24, one feature) whose first
    prediction's rounding divides 2v + 1 ≈ 2^54.3, just below a tie, where
    float64 rounds it onto the tie: EZKL's quotient is one more than the spec's
    (graph.inexact_division), measured: SAE one more, SSE 2|e| + 1 more."""
    F, w = 24, (1 << 23) + 1  # an odd weight of 24 significant bits (exact in float32)
    # x such that w·x ≡ 2^23 − 1 (mod 2^24): acc just below a multiple of 2^24 plus a half
    x = ((1 << 23) - 1) * pow(w, -1, 1 << 24) % (1 << 24) + (16 << 24)
    model = _words([spec.MODEL_MAGIC, 1, spec.KIND_AFFINE, F, 1, 1, 0, 0, 1, w])
    data = _words([spec.TESTSET_MAGIC, 1, 2, 1, F, x, -(1 << 29), x + (1 << 24), (1 << 29) - 5])
    return _words([spec.INPUT_MAGIC, 1, len(model) // 4, len(data) // 4]) + model + data
