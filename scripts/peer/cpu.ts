/**
 * CPU time used by the browser's processes (Linux /proc), so a benchmark can tell a cold start
 * that waits (network, a busy single thread) from one that is short of cores: CPU seconds spent
 * over wall seconds is how many cores it kept busy.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux everywhere we run). */
const TICKS_PER_SECOND = 100;

/** What a Chromium process is, from its command line. */
export type ProcessKind = 'browser' | 'gpu' | 'network' | 'utility' | 'webui renderer' | 'renderer' | 'other';

/** CPU milliseconds (user + system, threads included) of each live Chromium process, by pid. */
export type CpuSnapshot = Map<number, { kind: ProcessKind; ms: number }>;

export function kindOf(commandLine: string): ProcessKind {
  const type = /--type=(\S+)/.exec(commandLine)?.[1];
  if (!type) return 'browser';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return commandLine.includes('network.mojom.NetworkService') ? 'network' : 'utility';
  if (type === 'renderer') return commandLine.includes('--top-chrome-webui') ? 'webui renderer' : 'renderer';
  return 'other';
}

/** Every live process named like Chromium's; undefined where there is no /proc. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const snapshot: CpuSnapshot = new Map();
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const open = stat.indexOf('('), close = stat.lastIndexOf(')');
      if (!/^(chromium|chrome|headless_shell)/.test(stat.slice(open + 1, close))) continue;
      // Fields after the name: state is the first; utime and stime are the 12th and 13th.
      const fields = stat.slice(close + 2).split(' ');
      // Chromium rewrites its command line into one space-separated string.
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      snapshot.set(Number(pid), { kind: kindOf(commandLine), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND });
    } catch {
      continue; // exited meanwhile
    }
  }
  return snapshot;
}

/**
 * CPU milliseconds spent between two snapshots, in all and by process kind (a process started
 * meanwhile counts from zero). Processes that exit in between take their time with them: take the
 * second snapshot before closing anything.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): { total: number; byKind: Map<ProcessKind, number> } {
  const byKind = new Map<ProcessKind, number>();
  let total = 0;
  for (const [pid, { kind, ms }] of after) {
    const spent = ms - (before.get(pid)?.ms ?? 0);
    total += spent;
    byKind.set(kind, (byKind.get(kind) ?? 0) + spent);
  }
  return { total, byKind };
}
