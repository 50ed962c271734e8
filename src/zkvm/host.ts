// Run a zkVM host and return its validated record, keeping the exit code and
// stderr tail when it fails.
import { existsSync } from "node:fs";
import { execa } from "execa";
import { type HostRecord, parseHostRecord } from "./record.js";
import type { ZkvmEntry } from "./registry.js";

export interface HostRun {
  exitCode: number;
  record: HostRecord | null;
  stderrTail: string;
  wallMs: number;
}

export function hostBuilt(z: ZkvmEntry): boolean {
  return existsSync(z.binary);
}

export async function runHost(z: ZkvmEntry, args: string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<HostRun> {
  if (!hostBuilt(z)) throw new Error(`${z.label} host not built: ${z.binary} is missing (run guests/build.sh ${z.id})`);
  const start = performance.now();
  const result = await execa(z.binary, args, { reject: false, timeout: options.timeoutMs, env: options.env, stripFinalNewline: true });
  const wallMs = performance.now() - start;
  const stderrTail = String(result.stderr ?? "").split("\n").slice(-20).join("\n");
  let record: HostRecord | null = null;
  if (String(result.stdout ?? "").trim()) record = parseHostRecord(String(result.stdout), `${z.id} ${args[0]}`);
  return { exitCode: result.exitCode ?? -1, record, stderrTail, wallMs };
}
