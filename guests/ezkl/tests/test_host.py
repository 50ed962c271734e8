"""The EZKL host's output follows spec/host-record.schema.json and
spec/host-info.schema.json: every record it prints (execute, prove, verify,
refusals, bad usage, serve) and its info answer are validated against the
schemas the TypeScript driver reads them with, and the validator is shown to
reject a record with a field added, missing or of another schema version.
Run with run.py (the host's venv)."""

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import inputs
import jsonschema
import onnx
from run import EZKL, LAUNCHER
from zkml_ezkl import circuit as cz
from zkml_ezkl import graph, memory, spec

ROOT = os.path.normpath(os.path.join(EZKL, "..", ".."))
VECTORS = os.path.join(ROOT, "spec", "vectors")


def schema(name: str) -> jsonschema.Draft7Validator:
    with open(os.path.join(ROOT, "spec", name)) as f:
        s = json.load(f)
    jsonschema.Draft7Validator.check_schema(s)
    return jsonschema.Draft7Validator(s)


RECORD, INFO = schema("host-record.schema.json"), schema("host-info.schema.json")


def host(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([LAUNCHER, *args], input=stdin, check=False, capture_output=True, text=True, timeout=600)


def one_record(p: subprocess.CompletedProcess) -> dict:
    """The one JSON line a one-shot command prints, its exit code the record's."""
    lines = p.stdout.splitlines()
    assert len(lines) == 1, f"expected one line on stdout, got {len(lines)}: {p.stdout[:500]!r} (stderr: {p.stderr[-2000:]})"
    record = json.loads(lines[0])
    assert record["exit_code"] == p.returncode, (record, p.stderr[-2000:])
    return record


def errors(validator: jsonschema.Draft7Validator, value: dict) -> list:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(value)]


class Case(unittest.TestCase):
    def assertValid(self, validator, value: dict) -> None:
        self.assertEqual(errors(validator, value), [], json.dumps(value)[:3000])

    def run_host(self, *args: str, exit_code: int) -> dict:
        record = one_record(host(*args))
        self.assertValid(RECORD, record)
        self.assertEqual(record["exit_code"], exit_code, record["error"])
        self.assertEqual(record["ok"], exit_code == 0)
        return record


def setUpModule():
    global WORK, INPUT, MODEL_COMMITMENT
    WORK = tempfile.mkdtemp(prefix="zkml-ezkl-test-")
    # n = 10 samples of a 7-feature affine model, as the default data's: 2^12 rows.
    INPUT = os.path.join(WORK, "n10.input.bin")
    with open(INPUT, "wb") as f:
        f.write(inputs.affine_input(10))
    MODEL_COMMITMENT = hashlib.sha256(inputs.affine_model(7)).hexdigest()


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


class Info(Case):
    def test_info_follows_the_schema(self):
        p = host("info")
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        info = json.loads(p.stdout)
        self.assertValid(INFO, info)
        self.assertEqual(info["schema"], 1)
        self.assertEqual([(k["kind"], k["claim"]) for k in info["proof_kinds"]], [("single", True)])
        self.assertEqual(info["commitment_scheme"], "poseidon")
        self.assertEqual(info["refused_model_kinds"], [], "affine and polynomial models are proven")
        steps = info["prove_memory"]["steps"]
        classes = {(s["model_kind"], s["terms"]) for s in steps}
        self.assertEqual(classes, {("affine", 8), ("polynomial", 36), ("polynomial", 120)}, "the default data's models")
        for c in classes:
            for a, b in itertools.pairwise([s for s in steps if (s["model_kind"], s["terms"]) == c]):
                self.assertLess(a["max_samples"], b["max_samples"])
                self.assertLess(a["peak_bytes"], b["peak_bytes"])

    def test_schema_rejects_other_info(self):
        info = json.loads(host("info").stdout)
        for bad in (
            {**info, "extra": 1},
            {k: v for k, v in info.items() if k != "prove_memory"},
            {**info, "schema": 2},
            {**info, "proof_kinds": [{"kind": "single", "what": "no claim field"}]},
            {
                **info,
                "prove_memory": {**info["prove_memory"], "steps": [{"model_kind": "affine", "max_samples": 0, "peak_bytes": 1}]},
            },
        ):
            self.assertNotEqual(errors(INFO, bad), [])


class ProveMemory(Case):
    """The steps against the host's own compile: for each step up to 2^19 for
    affine models and 2^17 for polynomial ones (a second each), gen_settings
    with the host's rule (circuit.fit_settings) puts max_samples samples in 2^k
    rows and one more sample above them. (Affine 2^20 … 2^23 were checked the
    same way once: 14 s at 2^23.)"""

    def test_max_samples_is_the_hosts_rule(self):
        steps = memory.prove_memory()["steps"]
        d = memory.DEFAULT_FEATURES
        classes = [
            ("affine", 8, spec.parse_model(inputs.affine_model(d)), memory.max_samples, 19),
            ("polynomial", 36, spec.parse_model(inputs.poly_model(d, inputs.all_terms(d, 2))), None, 17),
            ("polynomial", 120, spec.parse_model(inputs.poly_model(d, inputs.all_terms(d, 3))), None, 17),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            for kind, terms, model, fits, largest in classes:
                self.assertEqual(len(model.terms) + 1, terms)
                fits = fits or (lambda k, g=3 if terms == 120 else 2: memory.polynomial_max_samples(k, d, g))
                stated = [s["max_samples"] for s in steps if (s["model_kind"], s["terms"]) == (kind, terms)]
                for k in range(cz.MIN_LOGROWS, largest + 1):
                    n = fits(k)
                    if n < 1:
                        continue
                    self.assertIn(n, stated, (kind, terms, k))
                    self.assertEqual(self.logrows(model, n, tmp), k, (kind, terms, n))
                    self.assertEqual(self.logrows(model, n + 1, tmp), k + 1, (kind, terms, n + 1))

    def logrows(self, model: spec.Model, n: int, tmp: str) -> int:
        """The host's logrows for n samples of this model (and, for an affine one, its rows are memory.rows')."""
        onnx.save(graph.build(model, n), os.path.join(tmp, "m.onnx"))
        k = cz.fit_settings(os.path.join(tmp, "m.onnx"), os.path.join(tmp, "settings.json"), model)
        if model.kind == spec.KIND_AFFINE:
            with open(os.path.join(tmp, "settings.json")) as f:
                self.assertEqual(json.load(f)["num_rows"], memory.rows(n), f"n={n}")
        return k

    def test_polynomial_rows(self):
        """memory.polynomial_rows_per_sample against gen_settings: within 1% (the
        default shapes within a row), for shapes of degree 1 to 3."""
        cases = [(7, inputs.all_terms(7, 2)), (7, inputs.all_terms(7, 3)), (6, [[0], [1], [2], [3], [0, 1, 2], [3, 3, 3]])]
        with tempfile.TemporaryDirectory() as tmp:
            for d, terms in cases:
                model = spec.parse_input(inputs.poly_input(2, d, terms))[0]
                legs = graph.decomposition(model)["decomp_legs"]
                products = len({tuple(t[:2]) for t in terms if len(t) > 1}) + sum(len(t) == 3 for t in terms)
                per_sample = memory.polynomial_rows_per_sample(len(graph.used_features(model)), products, legs)
                rows = []
                for n in (8, 16):
                    onnx.save(graph.build(model, n), os.path.join(tmp, "m.onnx"))
                    cz.fit_settings(os.path.join(tmp, "m.onnx"), os.path.join(tmp, "settings.json"), model)
                    with open(os.path.join(tmp, "settings.json")) as f:
                        rows.append(json.load(f)["num_rows"])
                self.assertLessEqual(abs((rows[1] - rows[0]) / 8 - per_sample), per_sample / 100, (d, len(terms), legs, rows))

    def test_measured_points(self):
        steps = memory.prove_memory()["steps"]
        step = lambda kind, terms, n: next(
            s for s in steps if (s["model_kind"], s["terms"]) == (kind, terms) and n <= s["max_samples"]
        )
        gib = 1 << 30
        self.assertAlmostEqual(step("affine", 8, 1000)["peak_bytes"] / gib, 10.3, places=6, msg="the measured point: 2^19")
        self.assertEqual(step("affine", 8, 10)["peak_bytes"], memory.MEASURED[12][0])
        self.assertTrue(40 < step("affine", 8, 5813)["peak_bytes"] / gib < 42, "the default data's 5,813: 2^21, about 41 GiB")
        # the polynomial line's points: degree 2 at n = 10 (2^14), degree 3 at n = 100 (2^19)
        self.assertEqual(step("polynomial", 36, 10)["peak_bytes"], memory.MEASURED_POLY[14][0])
        self.assertEqual(step("polynomial", 120, 100)["peak_bytes"], memory.MEASURED_POLY[19][0])
        self.assertLess(
            abs(step("polynomial", 36, 100)["peak_bytes"] / memory.MEASURED_POLY[18][0] - 1), 0.02, "2^18 on the line"
        )


class Records(Case):
    @classmethod
    def setUpClass(cls):
        cls.proof = os.path.join(WORK, "n10.proof")
        p = host("prove", "--input", INPUT, "--proof", cls.proof)
        cls.prove_record = one_record(p)
        assert cls.prove_record["ok"], cls.prove_record["error"]
        out = json.loads(host("commit", "--input", INPUT).stdout)
        cls.data_commitment = out["data_commitment"]

    def verify(self, proof: str, model: str, data: str, exit_code: int, *extra: str) -> dict:
        args = ["verify", "--proof", proof, "--model-commitment", model, "--data-commitment", data, *extra]
        return self.run_host(*args, exit_code=exit_code)

    def test_prove(self):
        r = self.prove_record
        self.assertValid(RECORD, r)
        self.assertEqual((r["command"], r["proof_kind"], r["sha"], r["total_cycles"]), ("prove", "single", None, 1 << 12))
        self.assertEqual(r["public_output"]["data_commitment"], self.data_commitment)
        self.assertFalse(r["setup_trust"]["trusted"])

    def test_execute(self):
        r = self.run_host("execute", "--input", INPUT, exit_code=0)
        self.assertEqual(r["public_output_hex"], self.prove_record["public_output_hex"])
        self.assertIsNone(r["setup_trust"])

    def test_execute_spec_vector(self):
        with open(os.path.join(VECTORS, "affine-basic.json")) as f:
            expected = bytes.fromhex(json.load(f)["public_output_hex"])
        r = self.run_host("execute", "--input", os.path.join(VECTORS, "affine-basic.input.bin"), exit_code=0)
        out = bytes.fromhex(r["public_output_hex"])
        # Every byte but the data commitment (Poseidon here, SHA-256 in the vector).
        self.assertEqual(out[:40] + out[72:], expected[:40] + expected[72:])

    def test_refusals_and_failures(self):
        r = self.run_host("execute", "--input", os.path.join(VECTORS, "err-bad-magic.input.bin"), exit_code=1)
        self.assertIn("BadMagic", r["error"])
        r = self.run_host("prove", "--input", INPUT, "--proof", os.path.join(WORK, "x.proof"), "--kind", "evm", exit_code=2)
        self.assertIn("solc", r["error"])

    def test_usage_errors(self):
        r = self.run_host("execute", exit_code=2)
        self.assertIn("bad usage", r["error"])
        r = self.run_host("verify", "--proof", self.proof, "--bogus", "1", exit_code=2)
        self.assertEqual(r["command"], "verify")
        r = self.run_host("frobnicate", exit_code=2)
        self.assertEqual(r["command"], "serve")

    def test_verify(self):
        r = self.verify(self.proof, MODEL_COMMITMENT, self.data_commitment, 0)
        self.assertEqual(r["public_output_hex"], self.prove_record["public_output_hex"])
        self.assertEqual(r["program_id"], self.prove_record["program_id"])

    def test_verify_wrong_commitments(self):
        wrong = "00" * 32
        r = self.verify(self.proof, MODEL_COMMITMENT, wrong, 1)
        self.assertIn("data commitment mismatch", r["error"])
        r = self.verify(self.proof, wrong, self.data_commitment, 1)
        self.assertIn("model commitment mismatch", r["error"])

    def test_verify_truncated_proof(self):
        with open(self.proof, "rb") as f:
            data = f.read()
        short = os.path.join(WORK, "short.proof")
        with open(short, "wb") as f:
            f.write(data[:-1])
        verifier = self.proof + ".verifier"
        r = self.verify(short, MODEL_COMMITMENT, self.data_commitment, 1, "--verifier", verifier)
        self.assertIn("does not verify", r["error"])

    def test_serve(self):
        requests = [
            ["execute", "--input", INPUT],
            ["verify", "--proof", self.proof, "--model-commitment", MODEL_COMMITMENT, "--data-commitment", self.data_commitment],
            ["execute", "--input", INPUT, "--bogus"],
        ]
        stdin = "".join(json.dumps(r) + "\n" for r in requests) + "not json\n" + '{"an": "object"}\n'
        p = host("serve", stdin=stdin)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        records = [json.loads(line) for line in p.stdout.splitlines()]
        self.assertEqual(len(records), 1 + len(requests) + 2)
        for r in records:
            self.assertValid(RECORD, r)
        ready, execute, verify, bad_flag, *bad_lines = records
        self.assertEqual((ready["command"], ready["ok"], ready["peak_rss_scope"]), ("serve", True, "process"))
        self.assertEqual((execute["exit_code"], verify["exit_code"], bad_flag["exit_code"]), (0, 0, 2))
        self.assertEqual(execute["peak_rss_scope"], "request")
        self.assertEqual([(r["command"], r["exit_code"]) for r in bad_lines], [("serve", 2)] * 2)

    def test_schema_rejects_other_records(self):
        r = self.prove_record
        self.assertValid(RECORD, r)
        for bad in (
            {**r, "extra": 1},
            {k: v for k, v in r.items() if k != "setup_trust"},
            {k: v for k, v in r.items() if k != "schema"},
            {**r, "schema": 2},
            {**r, "score": {**r["score"], "rmse": 1.0}},
            {**r, "setup_trust": {**r["setup_trust"], "extra": True}},
            {**r, "keys": "downloaded"},
        ):
            self.assertNotEqual(errors(RECORD, bad), [])


if __name__ == "__main__":
    unittest.main()
