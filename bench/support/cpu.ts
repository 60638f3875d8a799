/** CPU time a process has used, from /proc (Linux), so we can say what each request cost the server. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat on Linux (USER_HZ), which is 100 on every current kernel. */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds used so far by `pid`, or undefined where /proc is unavailable. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
