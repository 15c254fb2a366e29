import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, ms) of this process and of the child processes it has waited for (git):
 * `process.cpuUsage()` plus cutime/cstime of /proc/self/stat (Linux; 0 elsewhere).
 */
export function cpuOfProcess(): number {
  const { user, system } = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17, in clock ticks (100/s).
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    children = 0;
  }
  return (user + system) / 1000 + children;
}
