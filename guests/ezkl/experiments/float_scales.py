"""EZKL's usual path, for comparison with the host's bit-exact one: the same
affine model as a float ONNX graph (weights and data as reals, q / 2^F),
quantized by EZKL at input and parameter scale 2^s and rescaled after each
product, then the score from its four sums. Witness only (no proof): the
forward pass is what the proof would attest.

  python experiments/float_scales.py --input input.bin --n 100 --scales 4,7,10,13
prints one JSON line per scale: EZKL's R², MSE, MAE and their difference to
the spec's integer result (the host's and the zkVMs')."""

import argparse
import json
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import ezkl
from zkml_ezkl import spec


def float_graph(m: spec.Model, n: int) -> onnx.ModelProto:
    d, s = m.n_features, 2.0**-m.frac_bits
    c = lambda name, v, t=np.float32: numpy_helper.from_array(np.asarray(v, dtype=t), name)
    inits = [
        c("w", np.array(m.weights).reshape(d, 1) * s),
        c("b", [m.bias * s]),
        c("s0", [0], np.int64),
        c("sd", [d], np.int64),
        c("sd1", [d + 1], np.int64),
        c("ax", [1], np.int64),
    ]
    node = helper.make_node
    nodes = [
        node("Slice", ["data", "s0", "sd", "ax"], ["x"]),
        node("Slice", ["data", "sd", "sd1", "ax"], ["y"]),
        node("MatMul", ["x", "w"], ["xw"]),
        node("Add", ["xw", "b"], ["yh"]),
        node("Sub", ["yh", "y"], ["e"]),
        node("Mul", ["e", "e"], ["e2"]),
        node("Abs", ["e"], ["ae"]),
        node("Mul", ["y", "y"], ["y2"]),
    ]
    for t in ("e2", "ae", "y", "y2"):
        nodes += [node("ReduceSum", [t], [f"{t}_s"], keepdims=0), node("Unsqueeze", [f"{t}_s", "s0"], [f"{t}_u"])]
    nodes.append(node("Concat", ["e2_u", "ae_u", "y_u", "y2_u"], ["sums"], axis=0))
    g = helper.make_graph(
        nodes,
        "float_score",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, [n, d + 1])],
        [helper.make_tensor_value_info("sums", TensorProto.FLOAT, [4])],
        inits,
    )
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def score(sse, sae, sy, sy2, n):
    return {"r2": 1 - n * sse / (n * sy2 - sy * sy), "mse": sse / n, "mae": sae / n}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--input", required=True)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--scales", default="4,7,10,13")
    a = p.parse_args()
    with open(a.input, "rb") as f:
        model, data = spec.parse_input(f.read())
    rows = data.rows[: a.n]
    n, F = len(rows), model.frac_bits
    # The spec's integer result on the same rows (what the host and the zkVMs prove).
    sse = sae = sy = sy2 = 0
    for r in rows:
        acc = (model.bias << F) + sum(w * v for w, v in zip(model.weights, r[:-1]))
        e = ((acc + (1 << (F - 1))) >> F) - r[-1]
        sse, sae, sy, sy2 = sse + e * e, sae + abs(e), sy + r[-1], sy2 + r[-1] ** 2
    exact = score(sse / 4**F, sae / 2**F, sy / 2**F, sy2 / 4**F, n)
    with tempfile.TemporaryDirectory() as work:
        path = lambda name: os.path.join(work, name)
        onnx.save(float_graph(model, n), path("m.onnx"))
        with open(path("in.json"), "w") as f:
            json.dump({"input_data": [[v / 2**F for r in rows for v in r]]}, f)
        for s in [int(x) for x in a.scales.split(",")]:
            ra = ezkl.PyRunArgs()
            ra.input_scale = ra.param_scale = s
            ra.decomp_legs = 6
            ra.logrows = 17
            ezkl.gen_settings(path("m.onnx"), path("s.json"), py_run_args=ra)
            ezkl.compile_circuit(path("m.onnx"), path("c.ezkl"), path("s.json"))
            ezkl.gen_witness(path("in.json"), path("c.ezkl"), path("w.json"))
            with open(path("s.json")) as f:
                out_scale = json.load(f)["model_output_scales"][0]
            with open(path("w.json")) as f:
                sums = [ezkl.felt_to_float(x, out_scale) for x in json.load(f)["outputs"][0]]
            got = score(*sums, n)
            print(
                json.dumps({"scale": s, "n": n, "ezkl": got, "spec": exact, "difference": {k: got[k] - exact[k] for k in got}}),
                flush=True,
            )


if __name__ == "__main__":
    main()
