"""info's prove_memory: how a proof's peak memory grows with the samples proven
(spec/host-info.schema.json), so a planner leaves out a claim this machine
cannot prove, with the reason.

EZKL's memory grows with the circuit's padded size 2^logrows (halo2's proving
key, the SRS and the FFT domains are all 2^logrows long). The rows come from
the host's own rule (circuit.circuit_for): logrows is the smallest k ≥
MIN_LOGROWS whose 2^k holds the rows gen_settings reports plus RESERVED_ROWS.
For an affine model those rows are the Poseidon hash of the test set (input
visibility "hashed"): 41 rows per hashed value, n·(d+1) values, plus 2,
measured with gen_settings (EZKL 23.0.5) for d = 2 … 20 and n up to 25,575;
the score's own layout is smaller (only at d = 1 does it exceed the hash). The
steps are for the default data's d = 7 features: 328 rows per sample. The
host's tests compare every step up to 2^19 with gen_settings.

Polynomial models get no steps: their rows are the graph's own (its
divisions and comparisons, far above the hash's), and grow with the features
and the rounded products, 1,548 per sample for degree 2 on d = 7 and 4,488
for degree 3 (polynomial_rows_per_sample), so a step keyed by the model kind
alone (spec/host-info.schema.json) would be wrong for one of them; the
planner then predicts nothing for them."""

from . import circuit as cz

POSEIDON_ROWS_PER_VALUE = 41
POSEIDON_BASE_ROWS = 2
DEFAULT_FEATURES = 7  # the default data's models (linear, ridge) have 7 features
LARGEST_STEP = 23  # about 2^23 rows: 100 GiB and more, beyond any machine a sweep plans for

GIB = 1 << 30
# Peak resident memory (VmHWM) of one-shot `prove` runs of a ridge model with the
# default data's 7 features, keys generated in the same process (a cold cache),
# on the 2-core 24 GiB Intel Xeon that the README's tables were measured on.
MEASURED = {
    12: (195_211_264, "n = 10, 2026-12-03"),
    16: (1_460_277_248, "n = 100, 2026-12-03"),
    19: (round(10.3 * GIB), "n = 1,000, 2026-12-01"),
}
FIT = (12, 19)  # the line's two points; the third checks it


# A polynomial model's rows per sample, by its range-check legs (graph.decomposition):
# (fixed, per feature, per rounded product), fitted on gen_settings (EZKL 23.0.5)
# at n = 8 and 16 for d = 3, 7, 12 and degree 1, 2, 3 full and partial term
# lists; every case within one row of the line. A feature costs its
# standardization (two comparisons, a division, the degree-1 term); a rounded
# product (a pair z[a]·z[b], or a degree-3 term's product with z[c]) a division.
POLY_ROWS = {3: (45, 69, 32), 4: (49, 74, 35), 5: (57, 84, 41)}


def polynomial_rows_per_sample(d: int, products: int, legs: int) -> int:
    """Rows per sample of a polynomial model's circuit: d features used by its
    terms (graph.used_features), `products` rounded products (its distinct
    pairs plus its degree-3 terms: T − d for a full poly-ridge term list),
    `legs` range-check legs."""
    fixed, per_feature, per_product = POLY_ROWS[legs]
    return fixed + per_feature * d + per_product * products


def rows(n: int, d: int = DEFAULT_FEATURES) -> int:
    """The rows an affine model's circuit over n samples uses (d ≥ 2): the Poseidon hash of the test set."""
    return POSEIDON_ROWS_PER_VALUE * n * (d + 1) + POSEIDON_BASE_ROWS


def max_samples(logrows: int, d: int = DEFAULT_FEATURES) -> int:
    """The largest n whose circuit fits 2^logrows rows by the host's rule (cz.logrows_for)."""
    return ((1 << logrows) - cz.RESERVED_ROWS - POSEIDON_BASE_ROWS) // (POSEIDON_ROWS_PER_VALUE * (d + 1))


def per_row() -> tuple[float, float]:
    """(fixed bytes, bytes per padded row): the line through the two FIT points."""
    (k0, k1), (p0, p1) = FIT, (MEASURED[FIT[0]][0], MEASURED[FIT[1]][0])
    slope = (p1 - p0) / ((1 << k1) - (1 << k0))
    return p0 - slope * (1 << k0), slope


def peak_bytes(logrows: int) -> int:
    fixed, slope = per_row()
    return round(fixed + slope * (1 << logrows))


def prove_memory() -> dict:
    fixed, slope = per_row()
    (k0, k1), (kc,) = FIT, [k for k in MEASURED if k not in FIT]
    measured = "; ".join(f"{MEASURED[k][0] / GIB:.2f} GiB at 2^{k}, {MEASURED[k][1]}" for k in sorted(MEASURED))
    check = (peak_bytes(kc) - MEASURED[kc][0]) / MEASURED[kc][0]
    what = (
        f"EZKL {cz.EZKL_VERSION}, affine models with the default data's {DEFAULT_FEATURES} features: the circuit's rows "
        f"are the Poseidon hash of the test set, {POSEIDON_ROWS_PER_VALUE} rows per value, "
        f"{POSEIDON_ROWS_PER_VALUE * (DEFAULT_FEATURES + 1)} per sample (d+1 values) + {POSEIDON_BASE_ROWS} "
        f"(gen_settings), padded to 2^k, the smallest k ≥ {cz.MIN_LOGROWS} holding them + {cz.RESERVED_ROWS}; "
        f"a model with more features has {POSEIDON_ROWS_PER_VALUE}·(d+1) rows per sample. Peak memory grows with 2^k "
        f"(halo2's keys, SRS and FFT domains): {fixed / (1 << 20):.0f} MiB + {slope / 1024:.1f} KiB per padded row, "
        f"the line through the peaks of one-shot proofs (keys generated in the process) at 2^{k0} and 2^{k1} on a "
        f"2-core 24 GiB Intel Xeon ({measured}; 2^{kc} is {check:+.1%} off the line); above 2^{k1} extrapolated "
        f"(2^21, the default data's 5,813 test customers: about {peak_bytes(21) / GIB:.0f} GiB). Polynomial models: "
        f"no steps, their rows grow with the features and the terms (degree 2 on d = 7: "
        f"{polynomial_rows_per_sample(7, 28, 4):,} per sample; degree 3: {polynomial_rows_per_sample(7, 112, 4):,})"
    )
    steps = [
        {"model_kind": "affine", "max_samples": max_samples(k), "peak_bytes": peak_bytes(k)}
        for k in range(cz.MIN_LOGROWS, LARGEST_STEP + 1)
    ]
    return {"what": what, "steps": steps}
