"""The exported model as an ONNX graph that computes what the zkVM guests prove.

Everything is an integer at EZKL scale 0 (input_scale = param_scale = 0): the
inputs are the test set's Q(F) integers as they are, the parameters model.bin's
Q(F) integers, so EZKL quantizes nothing and the field arithmetic is the spec's
integer arithmetic. Values are float64 in the graph (exact below 2^53; float32
would round Q(F) integers above 2^24).

Every rounding is explicit, where spec/FORMAT.md rounds (`round_shift`): an
int64 Div by 2^(F+1) of 2v + 1, between two Casts. Why not a float Div or a Mul
by 2^-(F+1): tract rewrites a float division by a constant into a Mul, which
EZKL turns into a scale change (no constraint, the value stays 2v + 1 at scale
F+1) and rounds only where a later op needs scale 0, whichever op that is.
For the affine model that later op is the Sub of y, which is exact; for a
polynomial one it was, measured, the weighted sum itself (tract splits the
MatMul over the concatenated monomials into one einsum per block, and EZKL
rounded the degree-2 block's sum once instead of each monomial) and the
degree-3 product (the degree-2 rounding folded into the next multiplication):
predictions off by units on most samples. tract keeps an int64 Div as it is, a
Cast at scale 0 is EZKL's identity, and EZKL lays the Div out as its division
gadget at scale 0, so the rounding happens there and nowhere else; tests check
that no node of the compiled graph has another scale (`ezkl.table`).

EZKL's division computes its quotient as round(f64(a) / 2^(F+1)), rounding
half away from zero: exactly floor((v + 2^(F-1)) / 2^F) when a = 2v + 1 is odd
(no ties) and |a| < 2^53 (f64 holds it exactly). Larger values are possible
for spec-valid input (F near 24 and values near their limits); the host
refuses input on which EZKL's float64 quotient would differ (inexact_division)
and proves nothing whose witness sums differ from the spec's (host.py).

Input: one tensor `data` [n, d+1] (the test set's rows, x then y), so EZKL's
hashed visibility makes one Poseidon commitment over the whole test set.
Output: `sums` [4] = SSE (Q(2F)), SAE (Q(F)), Σy (Q(F)), Σy² (Q(2F))."""

import math

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import spec
from .spec import KIND_AFFINE, Model

OPSET = 17
# Bump when the graph, or how it is compiled, changes: it is part of the circuit
# cache key and of a verifier bundle. 2: settings with their set-like lists
# sorted before compiling (circuit.canonical_settings), so the circuit and its
# verifying key are the same in every process. 3: every round_shift an explicit
# int64 Div (polynomial models proven; the affine model's one rounding too).
GRAPH_VERSION = 3


# EZKL's division is exact while its input is below 2^53 in magnitude (module doc).
EXACT_DIVISION = 1 << 53
# EZKL's range checks decompose a value into sign and `legs` digits of base 2^14.
DECOMP_BASE_BITS = 14


class Refused(Exception):
    """A request the host refuses before any work (exit code 2)."""


def decomposition(model: Model) -> dict:
    """EZKL run arguments for the range checks of this model's circuit.

    Affine: 6 legs (2^84) and the inputs and outputs range-checked, as measured
    and published before (every sum a spec-valid input reaches; the circuit's
    rows are the Poseidon hash's anyway).

    Polynomial: each division, comparison and |e| decomposes its value into
    `legs` digits (every one of them costs cells: the rows per sample fall from
    2,000 at 6 legs to 1,548 at 4 for degree 2 on the default data), so the legs
    are the fewest that hold the largest value this model's graph decomposes,
    bounded from model.bin alone for any i32 input (the verifier compiles the
    same circuit): the clamp's comparisons of (x − mean)·inv_std with ±z_clip·2^F
    (at most (2^31 + |mean|)·|inv_std| + z_clip·2^F), the quotients (rounded z,
    monomials, e: below 2^33 for spec-valid input) and the division remainders
    (below 2^(F+1)). The inputs and outputs are not range-checked: the inputs
    are bound by the Poseidon commitment to the data owner's values, the
    outputs are public and read by the verifier, and a range check adds
    nothing to either (it would cost a decomposition per value, and the sums
    can exceed any fixed legs: SSE < n·2^66)."""
    if model.kind == KIND_AFFINE:
        return {"decomp_legs": 6, "ignore_range_check_inputs_outputs": False}
    F, c = model.frac_bits, model.z_clip
    p = max((2**31 + abs(model.mean[j])) * abs(model.inv_std[j]) for j in used_features(model))
    largest = max(p + (c << F), 2 * c << F, 1 << 33, 1 << (F + 1))
    legs = math.ceil(largest.bit_length() / DECOMP_BASE_BITS)
    return {"decomp_legs": max(3, legs), "ignore_range_check_inputs_outputs": True}


def ezkl_round_shift(v: int, F: int) -> int:
    """What EZKL's division computes for round_shift(v, F) as this graph asks
    it (2v + 1 over 2^(F+1)): its witness is round(f64(a) / 2^(F+1)), half away
    from zero (const_div in its tensor ops); f64(a) is a rounded to 53
    significant bits, which is a itself below 2^53."""
    a, D = 2 * v + 1, 1 << (F + 1)
    fa = int(float(a))  # float(int) rounds to nearest, ties to even, as Rust's `as f64`
    return (abs(fa) + D // 2) // D * (1 if fa >= 0 else -1)


def inexact_division(model: Model, rows: list) -> str | None:
    """Where this graph's division would give EZKL a quotient other than the
    spec's round_shift on these rows (naming the rounding and the sample), or
    None: every rounding of the graph, computed as the graph computes it (z
    clamped before rounding; e from acc + (bias − y)·2^F), through
    ezkl_round_shift. It can differ only where |2v + 1| ≥ 2^53, and there only
    when float64 moves 2v + 1 onto or across a multiple of 2^F: rarely (the
    experiments/division_limit.py cases with divisions up to 2^56 were all
    exact), but possible for spec-valid input, so the host refuses it."""
    F, d = model.frac_bits, model.n_features

    def rs(v: int, where: str) -> int:
        q = spec.round_shift(v, F)
        if abs(2 * v + 1) >= EXACT_DIVISION and ezkl_round_shift(v, F) != q:
            raise _Inexact(
                f"{where}: EZKL's float64 division of {2 * v + 1} by 2^{F + 1} gives {ezkl_round_shift(v, F)}, the spec {q}"
            )
        return q

    try:
        for i, row in enumerate(rows):
            x, y = row[:d], row[d]
            ms = x
            if model.kind != KIND_AFFINE:
                c = model.z_clip << F
                z = {
                    j: rs(max(-c, min(c, (x[j] - model.mean[j]) * model.inv_std[j])), f"feature {j} of sample {i}")
                    for j in used_features(model)
                }
                ms = []
                for t in model.terms:
                    m = z[t[0]]
                    for j in t[1:]:
                        m = rs(m * z[j], f"term {t} of sample {i}")
                    ms.append(m)
            rs(sum(w * m for w, m in zip(model.weights, ms)) + ((model.bias - y) << F), f"the prediction of sample {i}")
    except _Inexact as e:
        return str(e)
    return None


class _Inexact(Exception):
    pass


def f32_exact(v: int) -> bool:
    return int(np.float32(v)) == v


def f32_parts(values: list) -> list:
    """Integer vectors whose sum is `values`, each value of each vector exact
    in float32 (at most 24 significant bits), one vector when `values` already
    is. EZKL reads every constant of an ONNX graph as float32 (its
    extract_tensor_value: "raw values are always f32", then quantizes that), so a
    weight of 2^24 + 1 became 2^24: measured, the weighted sum of the degree-1
    terms off by one z[0] per sample, and a bias of 2^24 or more would shift
    every prediction of an affine model. Each part is the value's top 24 bits,
    the rest is split again."""
    parts, rest = [], [int(v) for v in values]
    while not all(f32_exact(v) for v in rest):
        shift = [max(0, abs(v).bit_length() - 24) for v in rest]
        top = [(abs(v) >> k << k) * (1 if v >= 0 else -1) for v, k in zip(rest, shift)]
        parts.append(top)
        rest = [v - t for v, t in zip(rest, top)]
    return parts + [rest]


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def const(self, value, dtype=np.float64) -> str:
        array = np.asarray(value, dtype=dtype)
        if dtype == np.float64 and not all(f32_exact(int(v)) for v in array.flat):
            raise ValueError(f"a constant EZKL would round (float32): {array.flat[:8]}")  # use f32_parts
        name = f"c{len(self.inits)}"
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def op(self, kind: str, *inputs: str, **attrs) -> str:
        self.count += 1
        out = f"{kind.lower()}{self.count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    def params(self, t: str, kind: str, values: list, shape: tuple) -> str:
        """t (Add|Sub|Mul) the integer constants `values` (reshaped to `shape`),
        exactly: one op per f32 part, Mul distributed (t·a + t·b)."""
        parts = [self.const(np.array(p, dtype=np.float64).reshape(shape)) for p in f32_parts(values)]
        if kind != "Mul":
            for p in parts:
                t = self.op(kind, t, p)
            return t
        products = [self.op("Mul", t, p) for p in parts]
        out = products[0]
        for p in products[1:]:
            out = self.op("Add", out, p)
        return out

    def clamp(self, t: str, low: int, high: int) -> str:
        """min(max(t, low), high) with bounds EZKL may not read exactly: max(t, a + b) = max(t − a, b) + a."""
        for kind, bound in (("Max", low), ("Min", high)):
            *head, last = [p[0] for p in f32_parts([bound])]
            for p in head:
                t = self.op("Sub", t, self.const(float(p)))
            t = self.op(kind, t, self.const(float(last)))
            for p in head:
                t = self.op("Add", t, self.const(float(p)))
        return t

    def round_shift(self, v: str, F: int) -> str:
        """round_shift(v, F) of spec/FORMAT.md, elementwise: EZKL's division of 2v + 1 by 2^(F+1) (module doc)."""
        odd = self.op("Cast", self.op("Add", self.op("Mul", v, self.const(2.0)), self.const(1.0)), to=TensorProto.INT64)
        return self.op("Cast", self.op("Div", odd, self.const(1 << (F + 1), np.int64)), to=TensorProto.DOUBLE)

    def columns(self, t: str, idx: list) -> str:
        """Columns `idx` of a [n, k] tensor, in that order: EZKL's Gather with constant indices only rewires cells."""
        return self.op("Gather", t, self.const(idx, np.int64), axis=1)

    def weighted_sum(self, t: str, weights: list) -> str:
        """[n, k] · weights → [n, 1], in the field (no rounding), one MatMul per f32 part of the weights."""
        sums = [self.op("MatMul", t, self.const(np.array(p, dtype=np.float64).reshape(-1, 1))) for p in f32_parts(weights)]
        out = sums[0]
        for s in sums[1:]:
            out = self.op("Add", out, s)
        return out


def used_features(model: Model) -> list:
    """The features some term names: only these are standardized (each costs a
    division and two comparisons per sample; the spec's z of an unused feature
    is never read)."""
    return sorted({j for t in model.terms for j in t})


def standardized(g: Graph, model: Model, x: str) -> str:
    """z[j] = clamp(round_shift((x[j] − mean[j]) · inv_std[j], F), −z_clip, z_clip)
    for the used features j, [n, len(used_features)]. Clamped before rounding,
    to ±z_clip·2^F: round_shift is monotone and maps ±z_clip·2^F to ±z_clip, so
    the result is the spec's, and the division sees at most 2^(F+1)·z_clip + 1
    (below 2^53 whenever a degree 2 or 3 term is present, by the ZClipTooLarge
    bound) instead of the product's 2^64."""
    F, c, used = model.frac_bits, model.z_clip, used_features(model)
    if len(used) < model.n_features:
        x = g.columns(x, used)
    mean, inv_std = [model.mean[j] for j in used], [model.inv_std[j] for j in used]
    p = g.params(g.params(x, "Sub", mean, (1, len(used))), "Mul", inv_std, (1, len(used)))
    return g.round_shift(g.clamp(p, -c << F, c << F), F)


def polynomial_acc(g: Graph, model: Model, x: str) -> str:
    """Σ_t weights[t] · m[t], [n, 1], with m the spec's monomials (each product
    rounded as the spec rounds it). A degree-3 term's inner round_shift(z[a]·z[b])
    is the degree-2 monomial (a, b): each pair is multiplied and rounded once."""
    F = model.frac_bits
    z, col = standardized(g, model, x), {j: k for k, j in enumerate(used_features(model))}
    pairs = sorted({tuple(t[:2]) for t in model.terms if len(t) >= 2})
    if pairs:
        a, b = g.columns(z, [col[p[0]] for p in pairs]), g.columns(z, [col[p[1]] for p in pairs])
        z2 = g.round_shift(g.op("Mul", a, b), F)  # [n, pairs]
    parts = []
    for degree in (1, 2, 3):
        ts = [i for i, t in enumerate(model.terms) if len(t) == degree]
        if not ts:
            continue
        if degree == 1:
            m = g.columns(z, [col[model.terms[i][0]] for i in ts])
        else:
            m = g.columns(z2, [pairs.index(tuple(model.terms[i][:2])) for i in ts])
            if degree == 3:
                m = g.round_shift(g.op("Mul", m, g.columns(z, [col[model.terms[i][2]] for i in ts])), F)
        parts.append(g.weighted_sum(m, [model.weights[i] for i in ts]))
    acc = parts[0]
    for part in parts[1:]:
        acc = g.op("Add", acc, part)
    return acc


def build(model: Model, n: int) -> onnx.ModelProto:
    F, d = model.frac_bits, model.n_features
    g = Graph()
    x = g.op("Slice", "data", g.const([0], np.int64), g.const([d], np.int64), g.const([1], np.int64))
    y = g.op("Slice", "data", g.const([d], np.int64), g.const([d + 1], np.int64), g.const([1], np.int64))
    acc = g.weighted_sum(x, model.weights) if model.kind == KIND_AFFINE else polynomial_acc(g, model, x)
    # e = ŷ − y = round_shift(acc + bias·2^F, F) − y = round_shift(acc + (bias − y)·2^F, F): y·2^F is a
    # multiple of 2^F, so subtracting it before rounding changes nothing, and keeps the division's
    # input near the error, not the prediction (further below 2^53).
    shifted = g.op("Sub", g.params(acc, "Add", [model.bias << F], (1,)), g.op("Mul", y, g.const(float(1 << F))))
    e = g.round_shift(shifted, F)
    sums = [g.op("ReduceSum", t, keepdims=0) for t in (g.op("Mul", e, e), g.op("Abs", e), y, g.op("Mul", y, y))]
    g.op("Concat", *[g.op("Unsqueeze", s, g.const([0], np.int64)) for s in sums], axis=0)
    g.nodes[-1].output[0] = "sums"
    graph = helper.make_graph(
        g.nodes,
        "zkml_score",
        [helper.make_tensor_value_info("data", TensorProto.DOUBLE, [n, d + 1])],
        [helper.make_tensor_value_info("sums", TensorProto.DOUBLE, [4])],
        g.inits,
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="zkml-bench")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m
