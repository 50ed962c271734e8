// Progress of a sweep: a bar with an ETA on a terminal, plain lines elsewhere
// (CI logs, notebooks). The ETA estimates each remaining run from finished
// runs most like it (earlier sessions included).
import type { SweepRow } from "./sweep-file.js";
import type { PlannedRun } from "./sweep-spec.js";

export interface Progress {
  /** `history`: earlier rows of this sweep on this machine (ok rows count as done). */
  start(plan: readonly PlannedRun[], history: readonly SweepRow[]): void;
  runStarted(run: PlannedRun): void;
  runFinished(row: SweepRow): void;
  finish(): void;
}

// Most similar first: the same run; the same zkVM, command, kind, model, SHA
// mode and cores at other sizes; then the kind at other sizes whatever the
// model, SHA mode or cores (a rough figure beats none). No fallback across
// zkVMs or commands: their costs differ by orders of magnitude, so such a run
// counts as "not yet timed" instead.
const curveKeys = (run: PlannedRun) => [
  `${run.zkvm}|${run.command}|${run.proof_kind}|${run.model}|${run.sha}|${run.cores ?? "all"}`,
  `${run.zkvm}|${run.command}|${run.proof_kind}`,
];

interface Sum {
  total: number;
  count: number;
}

function addTo<K>(map: Map<K, Sum>, key: K, ms: number): void {
  const s = map.get(key) ?? { total: 0, count: 0 };
  map.set(key, { total: s.total + ms, count: s.count + 1 });
}

/** Remaining time from the mean wall time of the most similar finished runs.
 *  A size not run yet is read off the finished sizes of its curve: between
 *  two of them by a straight line, beyond the largest along the line through
 *  the two largest (proving cost is a fixed part plus a part growing with n),
 *  and in proportion to n while only one size has finished (an upper bound:
 *  it counts the fixed part again). */
export class EtaModel {
  /** Per curve key: each finished n with its summed wall time. The first
   *  curve's entry at a run's own n is the same run's mean. */
  private curves = new Map<string, Map<number, Sum>>();

  observe(row: SweepRow): void {
    if (!row.ok) return;
    for (const key of curveKeys(row)) {
      const bySize = this.curves.get(key) ?? new Map<number, Sum>();
      addTo(bySize, row.n, row.wall_ms);
      this.curves.set(key, bySize);
    }
  }

  /** Estimated ms for a run, or null when nothing like it has run yet. */
  estimate(run: PlannedRun): number | null {
    const same = this.curves.get(curveKeys(run)[0])?.get(run.n);
    if (same) return same.total / same.count;
    const bySize = curveKeys(run)
      .map((key) => this.curves.get(key))
      .find((curve) => curve !== undefined);
    if (!bySize) return null;
    const points = [...bySize].map(([n, s]) => ({ n, ms: s.total / s.count })).sort((a, b) => a.n - b.n);
    const last = points[points.length - 1];
    if (points.length === 1) return run.n > last.n ? last.ms * (run.n / last.n) : last.ms;
    if (run.n <= points[0].n) return points[0].ms;
    const upper = points.findIndex((p) => p.n > run.n);
    const [p, q] = upper === -1 ? points.slice(-2) : [points[upper - 1], points[upper]];
    const slope = Math.max(0, (q.ms - p.ms) / (q.n - p.n));
    return p.ms + slope * (run.n - p.n);
  }

  remaining(runs: readonly PlannedRun[]): { ms: number; unknown: number } {
    let ms = 0;
    let unknown = 0;
    for (const run of runs) {
      const e = this.estimate(run);
      if (e === null) unknown++;
      else ms += e;
    }
    return { ms, unknown };
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function describeRun(run: PlannedRun): string {
  const what = run.command === "prove" ? `prove ${run.proof_kind}` : "execute";
  const cores = run.cores ? ` on ${run.cores} core${run.cores === 1 ? "" : "s"}` : "";
  return `${run.zkvm} ${what} ${run.model} n=${run.n} ${run.sha}${cores}${run.claim ? " (the claim: whole test set)" : run.warmup ? " (warm-up)" : run.command === "prove" ? ` rep ${run.rep}` : ""}`;
}

/** A progress reporter writing to `out`; `interactive` redraws one line. */
export function createProgress(options: { out?: NodeJS.WritableStream & { isTTY?: boolean }; interactive?: boolean } = {}): Progress {
  const out = options.out ?? process.stderr;
  const interactive = options.interactive ?? (Boolean(out.isTTY) && !process.env.CI);
  const eta = new EtaModel();
  let plan: readonly PlannedRun[] = [];
  let total = 0;
  let done = 0;
  let current: PlannedRun | null = null;
  let currentStart = 0;
  let timer: NodeJS.Timeout | undefined;
  const finishedKeys = new Set<string>();
  const pendingRuns = () => plan.filter((r) => !finishedKeys.has(r.key));

  const etaText = () => {
    const { ms, unknown } = eta.remaining(pendingRuns());
    const elapsedCurrent = current ? Math.min(performance.now() - currentStart, eta.estimate(current) ?? 0) : 0;
    return unknown
      ? `ETA >${formatDuration(Math.max(0, ms - elapsedCurrent))} (${unknown} runs not yet timed)`
      : `ETA ${formatDuration(Math.max(0, ms - elapsedCurrent))}`;
  };
  const bar = () => {
    const width = 24;
    const filled = total ? Math.round((width * done) / total) : width;
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
  };
  const redraw = () => {
    const running = current ? ` ${describeRun(current)} ${formatDuration(performance.now() - currentStart)}` : "";
    out.write(`\r\x1b[2K${bar()}${running} · ${etaText()}`);
  };

  return {
    start(p, history) {
      plan = p;
      total = plan.length;
      for (const row of history) {
        eta.observe(row);
        if (row.ok) finishedKeys.add(row.key);
      }
      const alreadyDone = plan.filter((r) => finishedKeys.has(r.key)).length;
      done = alreadyDone;
      out.write(`sweep: ${total} runs, ${alreadyDone} already done${alreadyDone ? " (resuming)" : ""}\n`);
      if (interactive) timer = setInterval(redraw, 1000);
    },
    runStarted(run) {
      current = run;
      currentStart = performance.now();
      if (interactive) redraw();
      else out.write(`[${done + 1}/${total}] ${describeRun(run)} …\n`);
    },
    runFinished(row) {
      eta.observe(row);
      current = null;
      if (row.ok) {
        finishedKeys.add(row.key);
        done++;
      }
      const cycles = row.record?.total_cycles ? `, ${row.record.total_cycles} cycles` : "";
      const prove = row.record?.prove_ms ? `, prove ${(row.record.prove_ms / 1000).toFixed(1)} s` : "";
      const line = row.ok ? `  ${describeRun(row)}: ${formatDuration(row.wall_ms)}${cycles}${prove}` : `  ${describeRun(row)}: FAILED (${row.failure})`;
      if (interactive) out.write(`\r\x1b[2K${line}\n`);
      else out.write(`${line} · ${etaText()}\n`);
    },
    finish() {
      if (timer) clearInterval(timer);
      if (interactive) out.write(`\r\x1b[2K${bar()} done\n`);
    },
  };
}
