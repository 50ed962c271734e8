"""The EZKL flow, offline, with every derived artefact cached per model and size.

One circuit per (model.bin, n, ezkl version, graph version): the ONNX graph,
settings, compiled circuit (`circuit_for`), then the keys (`keys_for`): SRS and
setup. The SRS is made locally with gen_srs (never get_srs, which downloads) and
passed as srs_path to every call. A locally generated SRS is fine for a
benchmark; it is not a trusted setup: whoever generated it could forge proofs
for any circuit using it. Layout, under ${ZKML_CACHE:-~/.cache/zkml-bench}/ezkl/:
  srs/k<logrows>.srs                 one per circuit size, shared by circuits
  circuits/<key>/model.bin, model.onnx, settings.json, circuit.ezkl, vk.key, pk.key, keys.json
<key> = SHA-256 of (SHA-256(model.bin), n, ezkl version, graph version), so a
verifier that knows the model commitment and n finds the verifying key.
Entries are written to a temporary directory and renamed into place, so a
crashed run never leaves a half entry; keys.json records the digest of the SRS
the keys were made with, and keys made with another SRS are made again."""
import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

import ezkl
import onnx

from . import graph
from .spec import Model

EZKL_VERSION = ezkl.__version__
# Halo2 needs a few rows for blinding beyond what the circuit uses.
RESERVED_ROWS = 16
MIN_LOGROWS = 10
MAX_LOGROWS = 26


def cache_root() -> str:
    return os.path.join(os.environ.get("ZKML_CACHE") or os.path.expanduser("~/.cache/zkml-bench"), "ezkl")


def circuit_key(model_commitment: str, n: int) -> str:
    text = f"zkml-ezkl|model {model_commitment}|n {n}|ezkl {EZKL_VERSION}|graph {graph.GRAPH_VERSION}"
    return hashlib.sha256(text.encode()).hexdigest()


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_args(logrows: int) -> "ezkl.PyRunArgs":
    a = ezkl.PyRunArgs()
    a.input_scale = 0  # the Q(F) integers as they are (graph.py)
    a.param_scale = 0
    a.input_visibility = "hashed"  # private test set, public Poseidon hash of it
    a.param_visibility = "fixed"  # weights are fixed columns: the verifying key commits to them
    a.output_visibility = "public"  # the four sums
    # Range checks decompose values in base 2^14: 6 legs cover 2^84, above every
    # sum of spec-valid input at n ≤ 2^24 (SSE < 2^64 · n) and every accumulator.
    a.decomp_legs = 6
    a.logrows = logrows
    return a


@contextlib.contextmanager
def locked(path: str):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


@dataclass
class Circuit:
    dir: str
    model_commitment: str
    n: int
    settings: dict
    generated: bool  # made by this call (else read from the cache)

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    @property
    def logrows(self) -> int:
        return self.settings["run_args"]["logrows"]

    @property
    def rows(self) -> int:
        return self.settings["num_rows"]

    def size(self) -> dict:
        """EZKL's unit of proving work: rows used, the padded 2^logrows, and cells assigned."""
        return {"logrows": self.logrows, "rows": self.rows, "padded_rows": 1 << self.logrows,
                "assignments": self.settings.get("total_assignments")}


def circuit_dir(model_commitment: str, n: int) -> str:
    return os.path.join(cache_root(), "circuits", circuit_key(model_commitment, n))


def circuit_for(model: Model, n: int) -> Circuit:
    """The compiled circuit of `model` over n samples, from the cache or made now
    (gen_settings at the smallest logrows that fits, compile_circuit). No
    calibrate_settings: it chooses scales for a float model, and here the scales
    are fixed at 0 by design; what it would also choose, logrows, is derived
    from the row count gen_settings reports."""
    final = circuit_dir(model.commitment, n)
    with locked(final + ".lock"):
        if os.path.exists(os.path.join(final, "circuit.ezkl")):
            return Circuit(final, model.commitment, n, _read_json(os.path.join(final, "settings.json")), False)
        tmp = tempfile.mkdtemp(dir=os.path.dirname(final), prefix=".tmp-")
        try:
            onnx_path, settings = os.path.join(tmp, "model.onnx"), os.path.join(tmp, "settings.json")
            onnx.save(graph.build(model, n), onnx_path)
            with open(os.path.join(tmp, "model.bin"), "wb") as f:
                f.write(model.bytes)  # what the verifier decodes the public output with
            logrows = MIN_LOGROWS
            while True:
                ezkl.gen_settings(onnx_path, settings, py_run_args=run_args(logrows))
                rows = _read_json(settings)["num_rows"]
                needed = max(MIN_LOGROWS, math.ceil(math.log2(rows + RESERVED_ROWS)))
                if needed <= logrows:
                    break
                if needed > MAX_LOGROWS:
                    raise RuntimeError(f"the circuit needs 2^{needed} rows, above this host's limit of 2^{MAX_LOGROWS}")
                logrows = needed
            ezkl.compile_circuit(onnx_path, os.path.join(tmp, "circuit.ezkl"), settings)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return Circuit(final, model.commitment, n, _read_json(os.path.join(final, "settings.json")), True)


def cached_circuit(model_commitment: str, n: int) -> Circuit | None:
    d = circuit_dir(model_commitment, n)
    if not os.path.exists(os.path.join(d, "vk.key")):
        return None
    return Circuit(d, model_commitment, n, _read_json(os.path.join(d, "settings.json")), False)


def srs_for(logrows: int) -> str:
    """The local SRS for 2^logrows rows (gen_srs once, then reused)."""
    path = os.path.join(cache_root(), "srs", f"k{logrows}.srs")
    with locked(path + ".lock"):
        if not os.path.exists(path):
            tmp = path + f".tmp-{os.getpid()}"
            ezkl.gen_srs(tmp, logrows)
            os.rename(tmp, path)
    return path


def keys_for(c: Circuit) -> tuple[str, bool]:
    """(srs path, generated): the circuit's proving and verifying keys exist after this."""
    srs = srs_for(c.logrows)
    srs_digest = file_sha256(srs)
    with locked(c.dir + ".keys.lock"):
        meta = c.path("keys.json")
        if os.path.exists(meta) and _read_json(meta).get("srs_sha256") == srs_digest and os.path.exists(c.path("pk.key")):
            return srs, False
        for f in ("vk.key", "pk.key", "keys.json"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(c.path(f))
        ezkl.setup(c.path("circuit.ezkl"), c.path("vk.key.tmp"), c.path("pk.key.tmp"), srs_path=srs)
        os.rename(c.path("pk.key.tmp"), c.path("pk.key"))
        os.rename(c.path("vk.key.tmp"), c.path("vk.key"))
        _write_json(meta, {"srs_sha256": srs_digest, "vk_sha256": file_sha256(c.path("vk.key"))})
    return srs, True


def witness(c: Circuit, rows: list, work: str) -> dict:
    """The circuit's forward pass on the test set (no proof): gen_witness."""
    data = os.path.join(work, "data.json")
    _write_json(data, {"input_data": [[float(v) for row in rows for v in row]]})
    out = os.path.join(work, "witness.json")
    ezkl.gen_witness(data, c.path("circuit.ezkl"), out)
    return _read_json(out)


def data_commitment(rows: list) -> str:
    """Poseidon hash of the test set as the circuit hashes it (input_visibility
    "hashed"): every value of the [n, d+1] input tensor, row by row, as a field
    element at scale 0. Hex of the 32-byte little-endian field element, as EZKL prints it."""
    felts = [ezkl.float_to_felt(float(v), 0, ezkl.PyInputType.F64) for row in rows for v in row]
    return ezkl.poseidon_hash(felts)[0]


def felt_int(felt: str) -> int:
    return ezkl.felt_to_int(felt)


def _read_json(path: str):
    with open(path) as f:
        return json.load(f)


def _write_json(path: str, value) -> None:
    with open(path, "w") as f:
        json.dump(value, f)


def timed(f, *args):
    t = time.perf_counter()
    v = f(*args)
    return v, (time.perf_counter() - t) * 1000
