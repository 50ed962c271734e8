"""spec/FORMAT.md on the Python side: parse input.bin, score from the four sums, the 168-byte public output.

Only what the EZKL host needs: the circuit computes the sums; the score is derived
from them exactly as the guests do (round_div, round_div_signed), so a verifier
gets the same R²/MSE/MAE from the same sums."""

import hashlib
import struct
from dataclasses import dataclass

INPUT_MAGIC, MODEL_MAGIC, TESTSET_MAGIC, OUTPUT_MAGIC = 0x4E49505A, 0x4C444D5A, 0x5453445A, 0x54554F5A
KIND_AFFINE, KIND_POLY = 1, 2
I64_MIN = -(1 << 63)


class SpecError(ValueError):
    """Input that violates spec/FORMAT.md; the message starts with the spec's error name."""


@dataclass
class Model:
    kind: int
    frac_bits: int
    n_features: int
    z_clip: int
    bias: int
    mean: list
    inv_std: list
    terms: list  # each a list of feature indices (degree = length)
    weights: list
    bytes: bytes

    @property
    def commitment(self) -> str:
        return hashlib.sha256(self.bytes).hexdigest()


@dataclass
class TestSet:
    n_samples: int
    n_features: int
    frac_bits: int
    rows: list  # n rows of d + 1 ints: x[0..d] then y
    bytes: bytes


def _words(b: bytes, what: str):
    if len(b) % 4:
        raise SpecError(f"Truncated: {what} is not a whole number of words")
    return struct.unpack(f"<{len(b) // 4}i", b)


def _u32(w: int) -> int:
    return w & 0xFFFFFFFF


def parse_model(b: bytes) -> Model:
    w = _words(b, "model")
    if len(w) < 8:
        raise SpecError("Truncated: model header")
    if _u32(w[0]) != MODEL_MAGIC:
        raise SpecError("BadMagic: model")
    if w[1] != 1:
        raise SpecError(f"BadVersion: model version {w[1]}")
    kind, F, d, T, z_clip, bias = w[2], w[3], w[4], w[5], w[6], w[7]
    if kind not in (KIND_AFFINE, KIND_POLY):
        raise SpecError(f"BadKind: {kind}")
    if not (1 <= F <= 24 and 1 <= d <= 64 and 1 <= T <= 1024):
        raise SpecError("BadDimensions: model header")
    poly = kind == KIND_POLY
    expected = 8 + (2 * d if poly else 0) + 2 * T
    if len(w) < expected:
        raise SpecError("Truncated: model")
    if len(w) > expected:
        raise SpecError("TrailingBytes: model")
    at = 8
    mean = list(w[at : at + d]) if poly else []
    inv_std = list(w[at + d : at + 2 * d]) if poly else []
    at += 2 * d if poly else 0
    terms = []
    for t in w[at : at + T]:
        t = _u32(t)
        g = t & 0xFF
        idx = [(t >> (8 * k)) & 0xFF for k in range(1, 4)]
        if not 1 <= g <= 3 or any(i >= d for i in idx[:g]) or idx[:g] != sorted(idx[:g]) or any(idx[g:]):
            raise SpecError("BadTerm")
        terms.append(idx[:g])
    weights = list(w[at + T : at + 2 * T])
    if not poly and T != d:
        raise SpecError("BadDimensions: an affine model has T = d")
    if not poly and terms != [[j] for j in range(d)]:
        raise SpecError("BadTerm: an affine model's term j is feature j")
    if not poly and z_clip != 0:
        raise SpecError("BadDimensions: an affine model has z_clip = 0")
    if poly and not (z_clip > 0 and all(z_clip ** len(t) <= 1 << (30 + (len(t) - 1) * F) for t in terms)):
        raise SpecError("ZClipTooLarge")
    return Model(kind, F, d, z_clip, bias, mean, inv_std, terms, weights, bytes(b))


def parse_testset(b: bytes) -> TestSet:
    w = _words(b, "test set")
    if len(w) < 5:
        raise SpecError("Truncated: test-set header")
    if _u32(w[0]) != TESTSET_MAGIC:
        raise SpecError("BadMagic: test set")
    if w[1] != 1:
        raise SpecError(f"BadVersion: test set version {w[1]}")
    n, d, F = w[2], w[3], w[4]
    if not (1 <= n <= 1 << 24 and 1 <= d <= 64):
        raise SpecError("BadDimensions: test-set header")
    if len(w) < 5 + n * (d + 1):
        raise SpecError("Truncated: test set")
    if len(w) > 5 + n * (d + 1):
        raise SpecError("TrailingBytes: test set")
    rows = [list(w[5 + i * (d + 1) : 5 + (i + 1) * (d + 1)]) for i in range(n)]
    return TestSet(n, d, F, rows, bytes(b))


def parse_input(b: bytes) -> tuple:
    """input.bin = header ‖ model.bin ‖ testset.bin (spec/FORMAT.md, "Guest input")."""
    if len(b) < 16 or len(b) % 4:
        raise SpecError("Truncated: input")
    magic, version, mw, tw = struct.unpack("<4I", b[:16])
    if magic != INPUT_MAGIC:
        raise SpecError("BadMagic: input")
    if version != 1:
        raise SpecError(f"BadVersion: input version {version}")
    if len(b) < 16 + 4 * (mw + tw):
        raise SpecError("Truncated: input")
    if len(b) > 16 + 4 * (mw + tw):
        raise SpecError("TrailingBytes: input")
    model = parse_model(b[16 : 16 + 4 * mw])
    data = parse_testset(b[16 + 4 * mw :])
    if data.n_features != model.n_features or data.frac_bits != model.frac_bits:
        raise SpecError("ModelDataMismatch")
    return model, data


@dataclass
class Sums:
    sse: int
    sae: int
    sum_y: int
    sum_y2: int


def round_shift(v: int, F: int) -> int:
    return (v + (1 << (F - 1))) >> F


def standardized(model: Model, x: list) -> list:
    """The polynomial model's z: each feature standardized, rounded, clamped."""
    F, c = model.frac_bits, model.z_clip
    return [max(-c, min(c, round_shift((x[j] - model.mean[j]) * model.inv_std[j], F))) for j in range(model.n_features)]


def monomial(z: list, term: list, F: int) -> int:
    m = z[term[0]]
    for j in term[1:]:
        m = round_shift(m * z[j], F)
    return m


def reference_sums(model: Model, data: TestSet) -> Sums:
    """spec/FORMAT.md's inference and score sums, in Python's exact integers,
    with the guests' per-sample errors (the circuit's field arithmetic has no
    i64 to overflow, so the host checks them here, as the guests do). The host
    proves nothing whose circuit sums differ from these."""
    F, d = model.frac_bits, model.n_features
    sse = sae = sum_y = sum_y2 = 0
    for i, row in enumerate(data.rows):
        x, y = row[:d], row[d]
        ms = x if model.kind == KIND_AFFINE else [monomial(standardized(model, x), t, F) for t in model.terms]
        acc = model.bias << F
        for w, m in zip(model.weights, ms):
            acc += w * m
            if not I64_MIN <= acc < 1 << 63:
                raise SpecError(f"AccumulatorOverflow {{ sample: {i} }}")
        y_hat = round_shift(acc, F)
        if not -(1 << 31) <= y_hat < 1 << 31:
            raise SpecError(f"PredictionOverflow {{ sample: {i} }}")
        e = y_hat - y
        sse, sae, sum_y, sum_y2 = sse + e * e, sae + abs(e), sum_y + y, sum_y2 + y * y
    return Sums(sse, sae, sum_y, sum_y2)


def round_div(a: int, b: int) -> int:
    return (a + b // 2) // b


def round_div_signed(a: int, b: int) -> int:
    return -round_div(-a, b) if a < 0 else round_div(a, b)


def public_output(model: Model, n: int, data_commitment: bytes, s: Sums) -> bytes:
    """The spec's 168-byte public output from the proven sums (scores derived as the guests derive them)."""
    F = model.frac_bits
    n_sst = n * s.sum_y2 - s.sum_y * s.sum_y
    r2 = I64_MIN if n_sst == 0 else round_div_signed((n_sst - n * s.sse) << F, n_sst)
    if not (n_sst == 0 or I64_MIN < r2 < 1 << 63) or not (0 <= s.sse < 1 << 128) or not (-(1 << 63) <= s.sum_y < 1 << 63):
        raise SpecError("ScoreOverflow")
    mse, mae = round_div(s.sse, n << F), round_div(s.sae, n)
    return (
        struct.pack("<II", OUTPUT_MAGIC, 1)
        + bytes.fromhex(model.commitment)
        + data_commitment
        + struct.pack("<IIII", model.kind, F, n, model.n_features)
        + s.sse.to_bytes(16, "little")
        + s.sae.to_bytes(16, "little")
        + s.sum_y.to_bytes(8, "little", signed=True)
        + s.sum_y2.to_bytes(16, "little")
        + r2.to_bytes(8, "little", signed=True)
        + mse.to_bytes(8, "little")
        + mae.to_bytes(8, "little")
    )


def decode_output(b: bytes) -> dict:
    """The record's `public_output` object: u128/i64 values as decimal strings (as the Rust hosts print it)."""
    kind, F, n, d = struct.unpack("<IIII", b[72:88])
    le = lambda at, size, signed=False: int.from_bytes(b[at : at + size], "little", signed=signed)
    r2 = le(144, 8, True)
    return {
        "model_commitment": b[8:40].hex(),
        "data_commitment": b[40:72].hex(),
        "kind": kind,
        "frac_bits": F,
        "n_samples": n,
        "n_features": d,
        "sse": str(le(88, 16)),
        "sae": str(le(104, 16)),
        "sum_y": str(le(120, 8, True)),
        "sum_y2": str(le(128, 16)),
        "r2": None if r2 == I64_MIN else str(r2),
        "mse": str(le(152, 8)),
        "mae": str(le(160, 8)),
    }


def score(b: bytes) -> dict:
    F = struct.unpack("<I", b[76:80])[0]
    r2 = int.from_bytes(b[144:152], "little", signed=True)
    return {
        "r2": None if r2 == I64_MIN else r2 / 2**F,
        "mse": int.from_bytes(b[152:160], "little") / 2**F,
        "mae": int.from_bytes(b[160:168], "little") / 2**F,
    }
