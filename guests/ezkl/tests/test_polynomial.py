"""Polynomial models (and affine ones) bit for bit: the host's public output
against the TypeScript reference on every spec vector and on real exports of
the default data at small n (the CLI), its graph on models of any shape
against spec/FORMAT.md's integers (spec.reference_sums, itself checked against
the vectors here), every rounding explicit in the compiled graph, input EZKL
cannot round exactly refused, and a polynomial proof verified.
Run with run.py (the host's venv)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import ezkl
import inputs
import onnx
from test_host import RECORD, ROOT, VECTORS, Case, host
from zkml_ezkl import circuit as cz
from zkml_ezkl import graph, spec

# 0-based sample of a per-sample error, as the vectors' `sample` and the record's error name it.
PER_SAMPLE = ("AccumulatorOverflow", "PredictionOverflow")


def vectors() -> list:
    out = []
    for name in sorted(f[: -len(".json")] for f in os.listdir(VECTORS) if f.endswith(".json")):
        with open(os.path.join(VECTORS, f"{name}.json")) as f:
            expectation = json.load(f)
        with open(os.path.join(VECTORS, f"{name}.input.bin"), "rb") as f:
            out.append((name, expectation, f.read()))
    return out


def serve(requests: list) -> list:
    """One `serve` process for many requests (EZKL's import is most of a one-shot command)."""
    p = host("serve", stdin="".join(json.dumps(r) + "\n" for r in requests))
    assert p.returncode == 0, p.stderr[-2000:]
    records = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(records) == 1 + len(requests), p.stderr[-2000:]
    return records[1:]


def but_data_commitment(hex_output: str) -> str:
    """The 168-byte public output without its data commitment (bytes 40-72: Poseidon here, SHA-256 in the reference)."""
    return hex_output[:80] + hex_output[144:]


class Reference(unittest.TestCase):
    def test_python_reference_is_the_typescript_reference(self):
        """spec.reference_sums (what the host refuses any witness to differ from)
        gives every vector's public output, or its per-sample error."""
        checked = 0
        for name, e, b in vectors():
            try:
                model, data = spec.parse_input(b)
            except spec.SpecError:
                continue  # the model/input errors: the host's tests below
            if e["expect"] == "ok":
                sums = spec.reference_sums(model, data)
                out = spec.public_output(model, data.n_samples, bytes.fromhex(e["data_commitment"]), sums)
                self.assertEqual(out.hex(), e["public_output_hex"], name)
                checked += 1
            elif e["expect"] in PER_SAMPLE:
                with self.assertRaisesRegex(spec.SpecError, rf"^{e['expect']} {{ sample: {e['sample']} }}"):
                    spec.reference_sums(model, data)
        self.assertGreaterEqual(checked, 8)


class SpecVectors(Case):
    def test_every_vector(self):
        """Every ok vector (affine and polynomial, degree 2 and 3, values beyond the
        clip) gives the reference's public output but for the data commitment
        (Poseidon here); every error vector its spec error name, exit 1."""
        vs = vectors()
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name, _, b in vs:
                paths.append(os.path.join(tmp, f"{name}.input.bin"))
                with open(paths[-1], "wb") as f:
                    f.write(b)
            records = serve([["execute", "--input", p] for p in paths])
        kinds = set()
        for (name, e, b), r in zip(vs, records):
            self.assertValid(RECORD, r)
            if e["expect"] == "ok":
                self.assertEqual(r["exit_code"], 0, f"{name}: {r['error']}")
                self.assertEqual(but_data_commitment(r["public_output_hex"]), but_data_commitment(e["public_output_hex"]), name)
                kinds.add(r["public_output"]["kind"])
            else:
                self.assertEqual(r["exit_code"], 1, f"{name}: {r['error']}")
                self.assertIn(e["expect"], r["error"], name)
                if e["expect"] in PER_SAMPLE:
                    self.assertIn(f"sample: {e['sample']}", r["error"], name)
        self.assertEqual(kinds, {spec.KIND_AFFINE, spec.KIND_POLY})


NODE = shutil.which("node")
CLI = os.path.join(ROOT, "bin", "zkml.js")


@unittest.skipUnless(NODE and os.path.isdir(os.path.join(ROOT, "node_modules")), "needs Node and the repository's npm install")
class Exports(Case):
    """Real exports of the default data (generated transactions) with a small test
    set (--test-fraction 0.0004: 12 customers), by the CLI: the host's public
    output of linear, ridge and poly-ridge of degree 2 and 3 equals the one the
    TypeScript reference wrote into export.json, but for the data commitment."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="zkml-ezkl-export-")
        for degree, models in (("2", "all"), ("3", "poly-ridge")):
            out = os.path.join(cls.tmp, f"degree{degree}")
            args = [NODE, CLI, "export", "-m", models, "--degree", degree, "--test-fraction", "0.0004", "-o", out]
            p = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
            assert p.returncode == 0, p.stderr[-3000:]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_exports_execute_as_the_reference(self):
        dirs = [("degree2", m) for m in ("linear", "ridge", "poly-ridge")] + [("degree3", "poly-ridge")]
        exports = []
        for d, m in dirs:
            with open(os.path.join(self.tmp, d, m, "export.json")) as f:
                exports.append(json.load(f))
        records = serve([["execute", "--input", os.path.join(self.tmp, d, m, "input.bin")] for d, m in dirs])
        for (d, m), e, r in zip(dirs, exports, records):
            self.assertEqual(r["exit_code"], 0, f"{d}/{m}: {r['error']}")
            self.assertEqual(but_data_commitment(r["public_output_hex"]), but_data_commitment(e["public_output_hex"]), f"{d}/{m}")
            self.assertEqual(r["public_output"]["n_samples"], 12)
        self.assertEqual([e["model"]["n_terms"] for e in exports], [7, 7, 35, 119])


def shapes() -> list:
    """(what, input.bin) of polynomial models of many shapes: any d, term lists of
    degree 1 to 3 in any mix, F = 24 with means, 1/σ, bias and z_clip·2^F beyond
    float32 (graph.f32_parts), values beyond the clip."""
    t = inputs.all_terms
    return [
        ("d 1, degree 3, F 24", inputs.poly_input(5, 1, t(1, 3), 24, z_clip=3.3)),
        ("d 3, degree 1 only", inputs.poly_input(5, 3, t(3, 1), 16, z_clip=2.5)),
        ("d 3, degree 3 only", inputs.poly_input(5, 3, [[0, 1, 2], [2, 2, 2], [0, 0, 1]], 16, z_clip=2.0)),
        (
            "d 4, degree 2 and 3, no degree 1, F 24",
            inputs.poly_input(5, 4, [[1, 3], [0, 0, 3], [2, 2], [1, 2, 3]], 24, z_clip=3.7),
        ),
        ("d 9, degree 2, F 8", inputs.poly_input(5, 9, t(9, 2), 8, z_clip=4.0, spread=8.0)),
        ("d 2, repeated terms, F 20", inputs.poly_input(5, 2, [[0], [0], [0, 1], [0, 1], [1, 1, 1]], 20, z_clip=5.1)),
        ("d 9, terms on features 2 and 5 only", inputs.poly_input(5, 9, [[2], [2, 5], [5, 5, 5]], 16, z_clip=3.0)),
    ]


class Shapes(Case):
    def test_any_shape_is_the_spec(self):
        """The circuit's sums are spec.reference_sums' on models of every shape (the
        host refuses any witness that differs, so exit 0 is the check; the sums
        are compared again here)."""
        cases = shapes()
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, (_, b) in enumerate(cases):
                paths.append(os.path.join(tmp, f"{i}.input.bin"))
                with open(paths[-1], "wb") as f:
                    f.write(b)
            records = serve([["execute", "--input", p] for p in paths])
        for (what, b), r in zip(cases, records):
            self.assertEqual(r["exit_code"], 0, f"{what}: {r['error']}")
            model, data = spec.parse_input(b)
            s = spec.reference_sums(model, data)
            o = r["public_output"]
            self.assertEqual([int(o[k]) for k in ("sse", "sae", "sum_y", "sum_y2")], [s.sse, s.sae, s.sum_y, s.sum_y2], what)
        self.assertTrue(any(len(graph.f32_parts(spec.parse_input(b)[0].inv_std)) > 1 for _, b in cases), "a case beyond float32")

    def test_every_rounding_is_explicit(self):
        """In the compiled graph every node is at scale 0 and none is rebased: no
        rounding happens but the graph's own divisions (graph.py's module doc)."""
        cases = [("random-poly2-d7", None), ("poly3-clip", None), ("affine-basic", None)] + shapes()[:4]
        with tempfile.TemporaryDirectory() as tmp:
            for what, b in cases:
                if b is None:
                    with open(os.path.join(VECTORS, f"{what}.input.bin"), "rb") as f:
                        b = f.read()
                model, data = spec.parse_input(b)
                path = os.path.join(tmp, "m.onnx")
                onnx.save(graph.build(model, data.n_samples), path)
                rows = [
                    [c.strip() for c in line.strip("│").split("│")]
                    for line in ezkl.table(path, cz.run_args(17, model)).splitlines()
                    if line.startswith("│")
                ][1:]
                self.assertGreater(len(rows), 10, what)
                for idx, op, scale, *_ in rows:
                    self.assertEqual(scale, "0", f"{what}: node {idx} {op}")
                    self.assertNotIn("REBASED", op, f"{what}: node {idx}")
                divisions = sum("DIV" in op for _, op, *_ in rows)
                # one Div node per round_shift of the graph (each over a whole tensor): e's, and for a
                # polynomial model z's, the pairs' (if any term has degree 2 or 3), the degree-3 terms'
                poly = model.kind == spec.KIND_POLY
                degrees = {len(t) for t in model.terms} if poly else set()
                expected = 1 + poly + bool(degrees & {2, 3}) + (3 in degrees)
                self.assertEqual(divisions, expected, f"{what}: one division per round_shift")

    def test_float32_parts(self):
        for values in ([1, -5, 1 << 24], [(1 << 24) + 1, -(2**31) + 3, 2**31 - 1], [(2**30 + 1) << 24, 0]):
            parts = graph.f32_parts(values)
            self.assertEqual([sum(p[i] for p in parts) for i in range(len(values))], values)
            self.assertTrue(all(graph.f32_exact(v) for p in parts for v in p))
        self.assertEqual(len(graph.f32_parts([1, 2, 1 << 40])), 1)


class Inexact(Case):
    def test_beyond_exact_division_is_refused(self):
        """A spec-valid input on which EZKL's float64 division would round one
        prediction the other way (inputs.tie_input: SAE one more than the spec's)
        is refused before any work, with where."""
        model, data = spec.parse_input(inputs.tie_input())
        self.assertIn("the prediction of sample 0", graph.inexact_division(model, data.rows))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tie.input.bin")
            with open(path, "wb") as f:
                f.write(inputs.tie_input())
            r = self.run_host("execute", "--input", path, exit_code=2)
        self.assertIn("EZKL cannot round this input as spec/FORMAT.md does", r["error"])
        self.assertIn("the prediction of sample 0", r["error"])

    def test_emulated_division(self):
        """graph.ezkl_round_shift is the spec's round_shift wherever 2v + 1 < 2^53."""
        F = 16
        for v in (0, -1, 1, (1 << 15) - 1, -(1 << 15), -(1 << 15) - 1, (1 << 51) + (1 << 15), -(1 << 52) + 7):
            self.assertEqual(graph.ezkl_round_shift(v, F), spec.round_shift(v, F), v)


class Prove(Case):
    def test_polynomial_proof_verifies(self):
        """A degree-3 model's proof verifies, and its public output is execute's."""
        with tempfile.TemporaryDirectory() as tmp:
            path, proof = os.path.join(tmp, "poly3.input.bin"), os.path.join(tmp, "poly3.proof")
            b = inputs.poly_input(3, 2, inputs.all_terms(2, 3), 16, z_clip=3.0)
            with open(path, "wb") as f:
                f.write(b)
            executed = self.run_host("execute", "--input", path, exit_code=0)
            proved = self.run_host("prove", "--input", path, "--proof", proof, exit_code=0)
            self.assertEqual(proved["public_output_hex"], executed["public_output_hex"])
            model, _ = spec.parse_input(b)
            data = json.loads(host("commit", "--input", path).stdout)["data_commitment"]
            verified = self.run_host(
                "verify", "--proof", proof, "--model-commitment", model.commitment, "--data-commitment", data, exit_code=0
            )
            self.assertEqual(verified["public_output_hex"], executed["public_output_hex"])
            self.assertEqual(verified["public_output"]["kind"], spec.KIND_POLY)


if __name__ == "__main__":
    unittest.main()
