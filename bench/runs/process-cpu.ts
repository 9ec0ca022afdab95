import { readdirSync, readFileSync } from "node:fs";

// Linux reports utime/stime in clock ticks of USER_HZ, which is 100 on every mainstream kernel.
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by the processes of a process group, from /proc; null
 * where /proc is unavailable. Processes of the group that already exited are not counted.
 */
export function groupCpuSeconds(pgid: number): number | null {
  let ticks = 0;
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // exited meanwhile
      }
      // Fields after the command name (which may contain spaces), from field 3 (state) on.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  return ticks / TICKS_PER_SECOND;
}
