// A long-lived host (`<host> serve`, guests/PROTOCOL.md): one process answers
// many requests, so the zkVM's setup (SP1's keys and prover: seconds to a
// minute) is paid once and reported once, in `ready.setup_ms`. Requests run one
// at a time. A server that crashes or times out is killed; that request is
// reported as failed and the next one starts a fresh process.
import { execa, type ResultPromise } from "execa";
import { forEachLine, hostBuilt, type HostRun, pinnedCommand, STDERR_TAIL_LINES } from "./driver.js";
import { type HostRecord, parseHostRecord } from "./record.js";
import type { ZkvmEntry } from "./registry.js";

export interface ServerOptions {
  env?: Record<string, string>;
  /** Each stderr line of the host as it arrives (for verbose progress). */
  onStderrLine?: (line: string) => void;
  /** Kill a server whose setup takes longer than this (ms). */
  setupTimeoutMs?: number;
  /** Pin the host to this many cores (the first ones); absent: all. */
  cores?: number;
}

type Event = { line: string } | { exit: number | null; signal: string | null };

/** A request's outcome, as `runHost` reports one, plus the setup it paid. */
export interface ServedRun extends HostRun {
  /** The one-time setup (ms) of the host process this request started; null
   *  when the process was already running. Not part of `wallMs`. */
  setupMs: number | null;
}

class Process {
  readonly child: ResultPromise;
  private readonly events: Event[] = [];
  private waiter: ((e: Event) => void) | null = null;
  readonly stderr: string[] = [];
  exited = false;

  constructor(z: ZkvmEntry, o: ServerOptions) {
    const host = pinnedCommand(z.binary, ["serve"], o.cores, o.env);
    this.child = execa(host.file, host.argv, { reject: false, env: host.env, stdin: "pipe", buffer: false });
    forEachLine(this.child.stdout!, (line) => this.push({ line }));
    forEachLine(this.child.stderr!, (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_TAIL_LINES) this.stderr.shift();
      o.onStderrLine?.(line);
    });
    this.child.then((r) => {
      this.exited = true;
      this.push({ exit: r.exitCode ?? null, signal: r.signal ?? null });
    });
  }

  private push(e: Event): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(e);
    } else this.events.push(e);
  }

  /** The next stdout line, or the exit; `null` after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Event | null> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.waiter = null;
              resolve(null);
            }, timeoutMs);
      this.waiter = (e) => {
        clearTimeout(timer);
        resolve(e);
      };
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }
}

export class HostServer {
  /** The `serve` record of the current process; `setup_ms` is its one-time setup. */
  ready: HostRecord | null = null;
  /** Processes started so far (1 + restarts after a crash or time-out). */
  starts = 0;
  private process: Process | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly zkvm: ZkvmEntry,
    private readonly options: ServerOptions = {},
  ) {
    if (!hostBuilt(zkvm)) throw new Error(`${zkvm.label} host not built: ${zkvm.binary} is missing (run guests/build.sh ${zkvm.id})`);
  }

  private get running(): boolean {
    return this.process !== null && !this.process.exited && this.ready !== null;
  }

  /** Starts the process (if none runs) and waits for its setup; throws if setup fails. */
  async start(): Promise<HostRecord> {
    if (this.running) return this.ready!;
    this.process?.kill();
    const p = new Process(this.zkvm, this.options);
    this.process = p;
    this.starts++;
    const event = await p.next(this.options.setupTimeoutMs);
    const source = `${this.zkvm.id} serve`;
    if (event === null || !("line" in event)) {
      p.kill();
      const why = event === null ? `setup timed out after ${this.options.setupTimeoutMs} ms` : `exited ${event.exit} before its ready record`;
      throw new Error(`${source}: ${why}\n${p.stderr.join("\n")}`);
    }
    const ready = parseHostRecord(event.line, source);
    if (!ready.ok) {
      p.kill();
      throw new Error(`${source}: ${ready.error}`);
    }
    this.ready = ready;
    return ready;
  }

  /** Runs one command (the arguments of a one-shot host call) in the server.
   *  Never throws for a failing request, like `runHost`. */
  run(args: string[], options: { timeoutMs?: number } = {}): Promise<ServedRun> {
    const result = this.queue.then(() => this.request(args, options.timeoutMs));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async request(args: string[], timeoutMs?: number): Promise<ServedRun> {
    let setupMs: number | null = null;
    if (!this.running) {
      try {
        setupMs = (await this.start()).setup_ms;
      } catch (err) {
        return { exitCode: null, record: null, stderrTail: (err as Error).message, wallMs: 0, peakRssExternalBytes: null, timedOut: false, setupMs };
      }
    }
    const p = this.process!;
    const start = performance.now();
    p.child.stdin!.write(`${JSON.stringify(args)}\n`);
    const event = await p.next(timeoutMs);
    const wallMs = performance.now() - start;
    const stderrTail = p.stderr.join("\n");
    const failed = (exitCode: number | null, timedOut: boolean, signal: string | null = null): ServedRun => {
      p.kill();
      this.ready = null;
      return { exitCode, signal, record: null, stderrTail, wallMs, peakRssExternalBytes: null, timedOut, setupMs };
    };
    if (event === null) return failed(null, true);
    if (!("line" in event)) return failed(event.exit, false, event.signal);
    const record = parseHostRecord(event.line, `${this.zkvm.id} ${args[0]}`);
    return { exitCode: record.exit_code, record, stderrTail, wallMs, peakRssExternalBytes: null, timedOut: false, setupMs };
  }

  /** Ends the process: closing stdin lets it finish and exit. */
  async close(): Promise<void> {
    await this.queue;
    const p = this.process;
    this.process = null;
    this.ready = null;
    if (!p || p.exited) return;
    p.child.stdin!.end();
    await p.child;
  }
}
