"""Where EZKL's division stops being exact, and whether the host's check
predicts it: EZKL computes a division's quotient as round(f64(a) / 2^(F+1)),
so a rounding whose input a = 2v + 1 reaches 2^53 can be off by one, and the
host refuses input where it would be (graph.inexact_division). For spec-valid
polynomial models at F = 24 with z_clip at the ZClipTooLarge bound, at
increasing feature spreads, and for tests/inputs.tie_input (an affine input
built to land on a float64 tie), this prints the largest division input, what
the check predicts and what EZKL's witness gives against spec/FORMAT.md's sums
(witness only, no proof, the host's own checks bypassed):

  python experiments/division_limit.py [--n 32]"""

import argparse
import json
import os
import sys
import tempfile

sys.path[:0] = [os.path.join(os.path.dirname(__file__), ".."), os.path.join(os.path.dirname(__file__), "..", "tests")]
import inputs
from zkml_ezkl import circuit as cz
from zkml_ezkl import graph, spec


def largest_division(model: spec.Model, rows: list) -> int:
    """The largest |2v + 1| the graph divides (as graph.inexact_division walks it)."""
    F, d, best = model.frac_bits, model.n_features, 0
    for row in rows:
        ms = row[:d]
        if model.kind == spec.KIND_POLY:
            c = model.z_clip << F
            ps = [max(-c, min(c, (row[j] - model.mean[j]) * model.inv_std[j])) for j in range(d)]
            best = max([best] + [abs(2 * p + 1) for p in ps])
            z = [spec.round_shift(p, F) for p in ps]
            ms = []
            for t in model.terms:
                m = z[t[0]]
                for j in t[1:]:
                    best = max(best, abs(2 * m * z[j] + 1))
                    m = spec.round_shift(m * z[j], F)
                ms.append(m)
        v = sum(w * m for w, m in zip(model.weights, ms)) + ((model.bias - row[d]) << F)
        best = max(best, abs(2 * v + 1))
    return best


def measure(name: str, b: bytes) -> dict:
    model, data = spec.parse_input(b)
    try:
        expected = spec.reference_sums(model, data)
    except spec.SpecError as e:  # the guests' error too: nothing to prove
        return {"case": name, "n": data.n_samples, "spec_error": str(e)}
    c = cz.circuit_for(model, data.n_samples)
    with tempfile.TemporaryDirectory() as work:
        w = cz.witness(c, data.rows, work)
    got = spec.Sums(*[cz.felt_int(f) for f in w["outputs"][0]])
    largest = largest_division(model, data.rows)
    return {
        "case": name,
        "n": data.n_samples,
        "largest_division_log2": round(largest.bit_length() - 1 + largest / (1 << (largest.bit_length() - 1)) - 1, 2),
        "predicted_inexact": graph.inexact_division(model, data.rows),
        "witness_exact": got == expected,
        "sse_minus_spec": got.sse - expected.sse,
        "sae_minus_spec": got.sae - expected.sae,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=32)
    a = p.parse_args()
    os.environ["ZKML_CACHE"] = tempfile.mkdtemp(prefix="zkml-division-limit-")  # not the host's cache
    d = 3
    for degree, z_clip in ((2, 8.0), (3, 4.0)):  # z_clip^g = 2^(30 + (g−1)·24) at F = 24
        for spread in (1.0, 4.0, 16.0, 64.0):
            b = inputs.poly_input(a.n, d, inputs.all_terms(d, degree), 24, z_clip, spread, seed=3)
            print(json.dumps(measure(f"degree {degree}, F 24, z_clip {z_clip}, spread {spread}", b)))
    print(json.dumps(measure("tests/inputs.tie_input", inputs.tie_input())))


if __name__ == "__main__":
    main()
