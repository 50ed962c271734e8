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

Polynomial models' rows are their graph's own (its divisions and
comparisons, far above the hash's) and grow with the features and the
rounded products (polynomial_rows_per_sample): 1,548 per sample for degree 2
on d = 7 and 4,488 for degree 3. Steps carry `terms`, the weighted terms per
sample with the bias (spec/host-info.schema.json: a step holds for models of
its kind with at most that many), so the planner picks the class of its
model: affine steps for 8 terms (d = 7), polynomial ones for the default
data's full term lists of degree 2 (36) and 3 (120). Their peak memory is a
line of its own, measured on polynomial proofs (about 16% above the affine
one at the same size: more of the circuit's columns are used)."""

import math

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


# A polynomial model's rows, by its range-check legs (graph.decomposition): rows
# outside the samples, and per sample (base, per feature, per rounded product),
# fitted on gen_settings (EZKL 23.0.5) at n = 8 and 16 for d = 3, 7, 12 and
# degree 1, 2, 3, full and partial term lists, base rounded up so that the full
# lists are never under (d = 7: 1,547.5 and 4,488 measured). A feature costs its
# standardization (two comparisons, a division, its degree-1 term); a rounded
# product (a pair z[a]·z[b], or a degree-3 term's product with z[c]) a division.
POLY_ROWS = {3: (16, (46, 69, 32)), 4: (18, (50, 74, 35)), 5: (22, (58, 84, 41))}
POLY_LEGS = 4  # the default data's models (graph.decomposition)
POLY_DEGREES = (2, 3)  # the poly-ridge workloads
# Peak memory (VmHWM) of one-shot `prove` runs of the default data's poly-ridge
# models (keys generated in the process), same machine as MEASURED.
MEASURED_POLY = {
    14: (515_497_984, "degree 2, n = 10, 2026-12-03"),
    16: (1_709_449_216, "degree 3, n = 10, 2026-12-03"),
    18: (6_463_905_792, "degree 2, n = 100, 2026-12-03"),
    19: (12_910_145_536, "degree 3, n = 100, 2026-12-03"),
}
POLY_FIT = (14, 19)


def polynomial_rows_per_sample(d: int, products: int, legs: int = POLY_LEGS) -> int:
    """Rows per sample of a polynomial model's circuit: d features used by its
    terms (graph.used_features), `products` rounded products (its distinct
    pairs plus its degree-3 terms: T − d for a full poly-ridge term list),
    `legs` range-check legs."""
    base, per_feature, per_product = POLY_ROWS[legs][1]
    return base + per_feature * d + per_product * products


def full_terms(d: int, degree: int) -> int:
    """Weighted terms per sample of a full term list with the bias: C(d + degree, degree)."""
    return math.comb(d + degree, degree)


def polynomial_max_samples(logrows: int, d: int, degree: int, legs: int = POLY_LEGS) -> int:
    """The largest n whose circuit fits 2^logrows rows, for a full term list of `degree` on d features."""
    per_sample = polynomial_rows_per_sample(d, full_terms(d, degree) - 1 - d, legs)
    return ((1 << logrows) - cz.RESERVED_ROWS - POLY_ROWS[legs][0]) // per_sample


def rows(n: int, d: int = DEFAULT_FEATURES) -> int:
    """The rows an affine model's circuit over n samples uses (d ≥ 2): the Poseidon hash of the test set."""
    return POSEIDON_ROWS_PER_VALUE * n * (d + 1) + POSEIDON_BASE_ROWS


def max_samples(logrows: int, d: int = DEFAULT_FEATURES) -> int:
    """The largest n whose circuit fits 2^logrows rows by the host's rule (cz.logrows_for)."""
    return ((1 << logrows) - cz.RESERVED_ROWS - POSEIDON_BASE_ROWS) // (POSEIDON_ROWS_PER_VALUE * (d + 1))


def per_row(measured: dict = MEASURED, fit: tuple = FIT) -> tuple[float, float]:
    """(fixed bytes, bytes per padded row): the line through the two fit points."""
    (k0, k1), (p0, p1) = fit, (measured[fit[0]][0], measured[fit[1]][0])
    slope = (p1 - p0) / ((1 << k1) - (1 << k0))
    return p0 - slope * (1 << k0), slope


def peak_bytes(logrows: int, measured: dict = MEASURED, fit: tuple = FIT) -> int:
    fixed, slope = per_row(measured, fit)
    return round(fixed + slope * (1 << logrows))


def line(measured: dict, fit: tuple) -> str:
    """The line and its points, for `what`."""
    fixed, slope = per_row(measured, fit)
    checks = [k for k in measured if k not in fit]
    points = "; ".join(f"{measured[k][0] / GIB:.2f} GiB at 2^{k}, {measured[k][1]}" for k in sorted(measured))
    off = ", ".join(
        f"2^{k} is {(peak_bytes(k, measured, fit) - measured[k][0]) / measured[k][0]:+.1%} off the line" for k in checks
    )
    return f"{fixed / (1 << 20):.0f} MiB + {slope / 1024:.1f} KiB per padded row, through 2^{fit[0]} and 2^{fit[1]} ({points}; {off})"


def prove_memory() -> dict:
    d = DEFAULT_FEATURES
    poly = "; ".join(
        f"degree {g} ({full_terms(d, g)} terms): {polynomial_rows_per_sample(d, full_terms(d, g) - 1 - d):,}"
        for g in POLY_DEGREES
    )
    what = (
        f"EZKL {cz.EZKL_VERSION}, the default data's {d} features, rows padded to 2^k, the smallest k ≥ "
        f"{cz.MIN_LOGROWS} holding them + {cz.RESERVED_ROWS}. Affine models ({d + 1} terms): the Poseidon hash of the "
        f"test set, {POSEIDON_ROWS_PER_VALUE} rows per value, {POSEIDON_ROWS_PER_VALUE * (d + 1)} per sample + "
        f"{POSEIDON_BASE_ROWS} (gen_settings). Polynomial models, full term lists at {POLY_LEGS} range-check legs: the "
        f"graph's divisions and comparisons, rows per sample {poly} (a model of other data may need more legs: 16% more "
        f"rows at 5). Peak memory grows with 2^k (halo2's keys, SRS and FFT domains), measured on one-shot proofs with "
        f"keys generated in the process on a 2-core 24 GiB Intel Xeon: affine {line(MEASURED, FIT)}; polynomial "
        f"{line(MEASURED_POLY, POLY_FIT)}; beyond the measured sizes extrapolated (2^21, the default data's 5,813 test "
        f"customers with an affine model: about {peak_bytes(21) / GIB:.0f} GiB)"
    )
    steps = [
        {"model_kind": "affine", "terms": d + 1, "max_samples": max_samples(k), "peak_bytes": peak_bytes(k)}
        for k in range(cz.MIN_LOGROWS, LARGEST_STEP + 1)
    ]
    for g in POLY_DEGREES:
        steps += [
            {
                "model_kind": "polynomial",
                "terms": full_terms(d, g),
                "max_samples": polynomial_max_samples(k, d, g),
                "peak_bytes": peak_bytes(k, MEASURED_POLY, POLY_FIT),
            }
            for k in range(cz.MIN_LOGROWS, LARGEST_STEP + 1)
            if polynomial_max_samples(k, d, g) >= 1
        ]
    return {"what": what, "steps": steps}
