/**
 * The bench's memory: every run prints each figure beside the last committed one
 * (`bench/baseline.json`), so a change that costs 10 % shows up in the change that made it.
 *
 * Figures are kept per engine and per *profile* — the options that decide what was measured
 * (number of customers, contacts, what was loaded) — because a figure at 10,000 customers says
 * nothing about one at 100,000. They also record the machine: figures from another machine (or
 * another hour on a busy one) are not comparable, and the comparison says so instead of
 * pretending. `--save-baseline` writes this run's figures into the file, to be committed with the
 * change that moved them.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

export interface BaselineEntry {
  recordedAt: string;
  commit: string | null;
  machine: string;
  figures: Record<string, number>;
}

/** engine → profile → entry */
export type Baseline = Record<string, Record<string, BaselineEntry>>;

export function machineId(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? "unknown cpu"} ×${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** The numeric leaves of a result object, keyed by their path ("file.rps", "journal.journal first page (1 conn.).p99"). */
export function flatten(value: unknown, prefix = "", out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === "number" && Number.isFinite(value)) out[prefix] = value;
  else if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** Whether a larger value of the figure is better (+1), worse (-1), or neither (0: a count). */
export function direction(key: string): 1 | -1 | 0 {
  const last = key.split(".").at(-1) ?? key;
  if (/^(errors|non2xx)$/.test(last)) return -1;
  if (/(rps|PerSecond|perSecond|ratio|top5|recall|Share)$/i.test(last)) return 1;
  if (/^(p50|p99|p999|mean)$|Ms$|Mb$|Bytes$|bytesPerCustomer$/i.test(last)) return -1;
  return 0;
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Baseline;
}

export interface Comparison {
  key: string;
  before: number | undefined;
  now: number;
  /** Relative change, positive = better; undefined when there is nothing to compare with or no direction. */
  better: number | undefined;
}

export function compare(before: Record<string, number> | undefined, now: Record<string, number>): Comparison[] {
  return Object.entries(now).map(([key, value]) => {
    const old = before?.[key];
    const dir = direction(key);
    const better = old === undefined || old === 0 || dir === 0 ? undefined : (dir * (value - old)) / Math.abs(old);
    return { key, before: old, now: value, better };
  });
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(Number.isInteger(n) ? 0 : 2);

/** The comparison as lines to print; figures 10 % or more worse are marked. */
export function report(
  engine: string,
  profile: string,
  entry: BaselineEntry | undefined,
  now: Record<string, number>,
): string[] {
  const lines = [
    `\n--- ${engine}: figures beside the last committed ones (bench/baseline.json) ---`,
    `profile: ${profile}`,
  ];
  if (!entry) {
    lines.push("no committed figures for this engine and profile: run with --save-baseline and commit the file");
    return lines;
  }
  lines.push(`committed: ${entry.recordedAt} at ${entry.commit ?? "?"} on ${entry.machine}`);
  if (entry.machine !== machineId()) {
    lines.push(`this machine: ${machineId()} — another machine: the changes below are not comparable`);
  }
  let worse = 0;
  for (const c of compare(entry.figures, now)) {
    if (c.key.endsWith(".errors") || c.key.endsWith(".non2xx")) {
      if (c.now === 0 && (c.before ?? 0) === 0) continue;
    }
    const change =
      c.before === undefined
        ? "new"
        : c.better === undefined
          ? ""
          : `${c.better >= 0 ? "+" : ""}${(c.better * 100).toFixed(1)} %${c.better <= -0.1 ? "  ◀ WORSE" : ""}`;
    if (c.better !== undefined && c.better <= -0.1) worse++;
    lines.push(
      `${c.key.padEnd(64)} ${(c.before === undefined ? "—" : fmt(c.before)).padStart(10)} → ${fmt(c.now).padStart(10)}   ${change}`,
    );
  }
  lines.push(
    worse === 0
      ? "no figure is 10 % or more worse"
      : `${worse} figure(s) 10 % or more worse (same machine and hour? measure before and after)`,
  );
  return lines;
}

export function saveBaseline(
  file: string,
  engine: string,
  profile: string,
  figures: Record<string, number>,
  commit: string | null,
  recordedAt: string,
): void {
  const all = readBaseline(file);
  all[engine] ??= {};
  all[engine][profile] = { recordedAt, commit, machine: machineId(), figures };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}
