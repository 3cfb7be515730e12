/**
 * CPU time used by the browser's processes (Linux /proc), so a benchmark can tell a cold start
 * that waits (network, a busy single thread) from one that is short of cores: CPU seconds spent
 * over wall seconds is how many cores it kept busy.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux everywhere we run). */
const TICKS_PER_SECOND = 100;

/**
 * Milliseconds of CPU (user + system) of every live process named like Chromium's, children
 * and threads included as /proc counts them; undefined where there is no /proc. Processes that
 * exit between two readings take their time with them: read before closing anything.
 */
export function browserCpuMs(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const open = stat.indexOf('('), close = stat.lastIndexOf(')');
    if (!/^(chromium|chrome|headless_shell)/.test(stat.slice(open + 1, close))) continue;
    // Fields after the name: state is the first; utime and stime are the 12th and 13th.
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
