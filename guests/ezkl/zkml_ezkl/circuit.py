"""The EZKL flow, offline, with every derived artefact cached per model, size and SRS.

One circuit per (model.bin, n, ezkl version, graph version): the ONNX graph,
settings, compiled circuit (`circuit_for`); then keys per (circuit, SRS):
`keys_for` (the prover's proving and verifying keys) and `vk_for` (a verifier's
verifying key alone). The SRS is made locally with gen_srs (never get_srs,
which downloads), or supplied by the user (a ceremony's), and passed as
srs_path to every call. A locally generated SRS is fine for a benchmark; it is
not a trusted setup: whoever generated it could forge proofs for any circuit
using it. Layout, under ${ZKML_CACHE:-~/.cache/zkml-bench}/ezkl/:
  srs/k<logrows>.srs                 the generated SRS, one per circuit size, shared by circuits
  circuits/<key>/model.bin, model.onnx, settings.json, circuit.ezkl
  circuits/<key>/keys/<SHA-256 of the SRS>/vk.key, pk.key (a prover's; a verifier keeps none), keys.json
<key> = SHA-256 of (SHA-256(model.bin), n, ezkl version, graph version).
Keys are per SRS digest, so keys made with another SRS (a supplied one, a
verifier's bundle) live beside the prover's and never replace them. Entries are
written to a temporary directory and renamed into place, so a crashed run
never leaves a half entry; keys.json records the digests of the SRS and the
verifying key, and an entry whose verifying key does not match is made again.

ezkl.setup is deterministic: the same circuit and SRS give a byte-identical
vk.key (and pk.key), also from circuits compiled separately from the same
model.bin, whose circuit.ezkl and settings.json differ in bytes (a timestamp,
the order of a hash map). `vk_for` relies on it: a verifier re-derives the
verifying key of the published model and compares it with the prover's."""

import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass

import ezkl
import onnx

from . import graph, proof_file
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


def run_args(logrows: int, model: Model) -> "ezkl.PyRunArgs":
    a = ezkl.PyRunArgs()
    a.input_scale = 0  # the Q(F) integers as they are (graph.py)
    a.param_scale = 0
    a.input_visibility = "hashed"  # private test set, public Poseidon hash of it
    a.param_visibility = "fixed"  # weights are fixed columns: the verifying key commits to them
    a.output_visibility = "public"  # the four sums
    # Range checks decompose values in base 2^14, into as many legs as the
    # model's values need (graph.decomposition): 6 for affine models (2^84).
    for name, value in graph.decomposition(model).items():
        setattr(a, name, value)
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
        return {
            "logrows": self.logrows,
            "rows": self.rows,
            "padded_rows": 1 << self.logrows,
            "assignments": self.settings.get("total_assignments"),
        }


def circuit_dir(model_commitment: str, n: int) -> str:
    return os.path.join(cache_root(), "circuits", circuit_key(model_commitment, n))


# Lists in EZKL's settings that it fills from hash sets, in an order that changes
# from process to process; the order of the range checks decides the order of
# their lookup tables, so it changes the verifying key.
SET_LIKE_SETTINGS = ("required_range_checks", "required_lookups")


def canonical_settings(settings: dict) -> dict:
    """EZKL's settings with its set-like lists sorted, so that compiling the same
    model.bin and n gives the same circuit, and the same SRS the same verifying
    key, in every process (measured: gen_settings lists the two range checks in
    either order, and the two orders give two verifying keys)."""
    out = dict(settings)
    for name in SET_LIKE_SETTINGS:
        if isinstance(out.get(name), list):
            out[name] = sorted(out[name], key=lambda v: json.dumps(v, sort_keys=True))
    return out


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
            fit_settings(onnx_path, settings, model)
            _write_json(settings, canonical_settings(_read_json(settings)))
            ezkl.compile_circuit(onnx_path, os.path.join(tmp, "circuit.ezkl"), settings)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return Circuit(final, model.commitment, n, _read_json(os.path.join(final, "settings.json")), True)


def logrows_for(rows: int) -> int:
    """The host's rule: the smallest logrows (at least MIN_LOGROWS) whose 2^logrows holds the rows and halo2's reserved ones."""
    return max(MIN_LOGROWS, math.ceil(math.log2(rows + RESERVED_ROWS)))


def fit_settings(onnx_path: str, settings: str, model: Model) -> int:
    """gen_settings at the logrows the circuit's rows need (logrows_for), written to
    `settings`; returns that logrows."""
    logrows = MIN_LOGROWS
    while True:
        ezkl.gen_settings(onnx_path, settings, py_run_args=run_args(logrows, model))
        needed = logrows_for(_read_json(settings)["num_rows"])
        if needed <= logrows:
            return logrows
        if needed > MAX_LOGROWS:
            raise RuntimeError(f"the circuit needs 2^{needed} rows, above this host's limit of 2^{MAX_LOGROWS}")
        logrows = needed


GENERATED_SRS_ORIGIN = "generated by the prover with ezkl.gen_srs: not a trusted setup; whoever generated it can forge proofs"


def supplied_srs_origin(path: str) -> str:
    return f"supplied by the prover: {os.path.basename(path)}"


def srs_for(logrows: int) -> str:
    """The locally generated SRS for 2^logrows rows (gen_srs once, then reused)."""
    path = os.path.join(cache_root(), "srs", f"k{logrows}.srs")
    with locked(path + ".lock"):
        if not os.path.exists(path):
            tmp = path + f".tmp-{os.getpid()}"
            ezkl.gen_srs(tmp, logrows)
            os.rename(tmp, path)
    return path


class SrsError(ValueError):
    pass


def check_srs(path: str, logrows: int) -> None:
    """An SRS file (halo2's KZG parameters: u32 LE k, then its points) that
    holds 2^logrows rows; a larger one is fine (EZKL downsizes it), a smaller
    one cannot commit to the circuit."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as e:
        raise SrsError(f"SRS {path}: {e.strerror}") from None
    if len(head) < 4:
        raise SrsError(f"SRS {path} is not an SRS file (shorter than its header)")
    k = int.from_bytes(head, "little")
    if k < logrows:
        raise SrsError(f"SRS {path} is for 2^{k} rows; the circuit needs 2^{logrows}")
    if k > 32:
        raise SrsError(f"SRS {path} is not an SRS file (its header says k = {k})")


@dataclass
class Keys:
    dir: str
    srs: str  # the SRS file the keys were made with
    srs_sha256: str
    generated: bool  # made by this call (else read from the cache)

    @property
    def vk(self) -> str:
        return os.path.join(self.dir, "vk.key")

    @property
    def pk(self) -> str:
        return os.path.join(self.dir, "pk.key")


def keys_dir(c: Circuit, srs_sha256: str) -> str:
    return c.path(os.path.join("keys", srs_sha256))


def keys_for(c: Circuit, srs: str | None = None, srs_sha256: str | None = None) -> Keys:
    """The prover's keys of circuit `c` with this SRS (default: the generated
    one): proving and verifying key, from the cache or made now."""
    srs = srs or srs_for(c.logrows)
    return _keys(c, srs, srs_sha256 or file_sha256(srs), proving=True)


def vk_for(c: Circuit, srs: str, srs_sha256: str) -> Keys:
    """The verifying key of circuit `c` with this SRS, as a verifier derives it:
    ezkl.setup here, keeping no proving key (it can be GBs), or the cache's."""
    return _keys(c, srs, srs_sha256, proving=False)


def _keys(c: Circuit, srs: str, digest: str, proving: bool) -> Keys:
    final = keys_dir(c, digest)
    with locked(final + ".lock"):
        if _entry_ok(final, digest, proving):
            return Keys(final, srs, digest, False)
        tmp = tempfile.mkdtemp(dir=os.path.dirname(final), prefix=".tmp-")
        try:
            vk = os.path.join(tmp, "vk.key")
            # A verifier's proving key goes to /dev/null: setup always writes one.
            pk = os.path.join(tmp, "pk.key") if proving or not _devnull_ok() else os.devnull
            ezkl.setup(c.path("circuit.ezkl"), vk, pk, srs_path=srs)
            if pk != os.devnull and not proving:
                os.remove(pk)
            _write_json(os.path.join(tmp, "keys.json"), {"srs_sha256": digest, "vk_sha256": file_sha256(vk), "proving": proving})
            _replace_dir(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return Keys(final, srs, digest, True)


def _entry_ok(d: str, srs_sha256: str, proving: bool) -> bool:
    try:
        meta = _read_json(os.path.join(d, "keys.json"))
        return (
            meta.get("srs_sha256") == srs_sha256
            and meta.get("vk_sha256") == file_sha256(os.path.join(d, "vk.key"))
            and (not proving or os.path.exists(os.path.join(d, "pk.key")))
        )
    except (OSError, ValueError, AttributeError):
        return False


def _devnull_ok() -> bool:
    try:
        return stat.S_ISCHR(os.stat(os.devnull).st_mode)
    except OSError:
        return False


def _replace_dir(new: str, final: str) -> None:
    """Rename `new` to `final`, replacing an old `final` (never a half directory in its place)."""
    if os.path.exists(final):
        trash = tempfile.mkdtemp(dir=os.path.dirname(final), prefix=".old-")
        os.rename(final, os.path.join(trash, "old"))
        os.rename(new, final)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.rename(new, final)


def verifies(header: dict, proof: bytes, settings: str, vk: str, srs: str, work: str) -> tuple[bool, str | None]:
    """(ok, EZKL's error): EZKL's verifier on these proof bytes and public inputs."""
    j = os.path.join(work, "proof.json")
    _write_json(j, proof_file.ezkl_json(header, proof))
    try:
        return bool(ezkl.verify(j, settings, vk, srs_path=srs, reduced_srs=False)), None
    except Exception as e:  # noqa: BLE001 (EZKL raises on a malformed proof and returns False on a wrong one)
        return False, str(e)
    except BaseException as e:  # a Rust panic inside EZKL (pyo3's PanicException is a BaseException)
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        return False, f"EZKL panicked: {e}"


def proof_length(header: dict, proof: bytes, settings: str, vk: str, srs: str, work: str) -> int:
    """How many of these (verifying) proof bytes EZKL's verifier reads. The halo2
    transcript is read front to back and what follows is never looked at, so a
    proof with bytes appended still verifies. Without its last byte, a proof the
    verifier reads to the end fails (the last read runs out of bytes: EZKL 23
    reports it as "Multi-opening proof was invalid" or a transcript error), and a
    longer one still verifies; then the length read is the shortest prefix that
    verifies (a binary search: prefixes at least that long verify, shorter ones
    do not). Costs one more verification for an exact proof (EZKL gives no way
    to ask the transcript's length), about log2(len) for a padded one."""

    def ok(size: int) -> bool:
        return verifies(header, proof[:size], settings, vk, srs, work)[0]

    if len(proof) < 2 or not ok(len(proof) - 1):
        return len(proof)
    lo, hi = 1, len(proof) - 1  # ok(hi) holds
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


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
