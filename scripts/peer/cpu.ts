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

/**
 * What a renderer's thread does, from its name: the page's main thread, its workers (dedicated
 * workers, wasm pthreads among them), or V8's and Chromium's thread pool (background compilation
 * of JavaScript and wasm, garbage collection, script streaming).
 */
export type ThreadKind = 'main thread' | 'workers' | 'thread pool' | 'other';

/**
 * CPU milliseconds (user + system, threads included) of each live Chromium process, by pid; for
 * renderers also by kind of thread.
 */
export type CpuSnapshot = Map<number, { kind: ProcessKind; ms: number; threads?: Map<number, { kind: ThreadKind; ms: number }> }>;

export function kindOf(commandLine: string): ProcessKind {
  const type = /--type=(\S+)/.exec(commandLine)?.[1];
  if (!type) return 'browser';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return commandLine.includes('network.mojom.NetworkService') ? 'network' : 'utility';
  if (type === 'renderer') return commandLine.includes('--top-chrome-webui') ? 'webui renderer' : 'renderer';
  return 'other';
}

/** `name`: the thread's name as /proc shows it (15 characters at most); `main`: its id is the process's. */
export function threadKindOf(name: string, main: boolean): ThreadKind {
  if (main) return 'main thread';
  if (name.startsWith('DedicatedWorker')) return 'workers';
  if (name.startsWith('ThreadPool')) return 'thread pool';
  return 'other';
}

/** utime + stime of a /proc stat line, in ms, and the name between its parentheses. */
function parseStat(stat: string): { name: string; ms: number } {
  const open = stat.indexOf('('), close = stat.lastIndexOf(')');
  // Fields after the name: state is the first; utime and stime are the 12th and 13th.
  const fields = stat.slice(close + 2).split(' ');
  return { name: stat.slice(open + 1, close), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND };
}

function threadsOf(pid: string): Map<number, { kind: ThreadKind; ms: number }> {
  const threads = new Map<number, { kind: ThreadKind; ms: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { name, ms } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      threads.set(Number(tid), { kind: threadKindOf(name, tid === pid), ms });
    } catch {
      continue; // ended meanwhile
    }
  }
  return threads;
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
      const { name, ms } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (!/^(chromium|chrome|headless_shell)/.test(name)) continue;
      // Chromium rewrites its command line into one space-separated string.
      const kind = kindOf(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      snapshot.set(Number(pid), { kind, ms, threads: kind === 'renderer' ? threadsOf(pid) : undefined });
    } catch {
      continue; // exited meanwhile
    }
  }
  return snapshot;
}

/**
 * CPU milliseconds spent between two snapshots, in all, by process kind, and in the (non-WebUI)
 * renderers by kind of thread (a process or thread started meanwhile counts from zero). Processes
 * and threads that end in between take their time with them: take the second snapshot before
 * closing anything.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): { total: number; byKind: Map<ProcessKind, number>; rendererThreads: Map<ThreadKind, number> } {
  const byKind = new Map<ProcessKind, number>();
  const rendererThreads = new Map<ThreadKind, number>();
  let total = 0;
  for (const [pid, { kind, ms, threads }] of after) {
    const earlier = before.get(pid);
    const spent = ms - (earlier?.ms ?? 0);
    total += spent;
    byKind.set(kind, (byKind.get(kind) ?? 0) + spent);
    for (const [tid, thread] of threads ?? []) {
      const threadSpent = thread.ms - (earlier?.threads?.get(tid)?.ms ?? 0);
      rendererThreads.set(thread.kind, (rendererThreads.get(thread.kind) ?? 0) + threadSpent);
    }
  }
  return { total, byKind, rendererThreads };
}
