"""Inputs for the tests: spec/FORMAT.md's input.bin of an affine model over n
samples, made here from a seed (the host's tests need no export, no Node)."""

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
