import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Which processes the running `npm start` owns, kept in the data directory. A start that was SIGKILLed
 * cannot clean up; the next start reads this and stops whatever of it is still there, so a leftover
 * engine or server never blocks it (busy port, busy SQLite files).
 */

/** A process is named by pid *and* start time: a recycled pid must never be mistaken for ours. */
const processRef = z.object({ pid: z.number().int().positive(), started: z.string().min(1) });
const record = z.object({ supervisor: processRef, server: processRef.optional(), engine: processRef.optional(), redis: processRef.optional() });
export type StackRecord = z.infer<typeof record>;
type Role = keyof StackRecord;

const LABEL: Record<Role, string> = { supervisor: 'start.ts', server: 'server', engine: 'database engine', redis: 'Redis' };
const GRACE_MS: Record<Role, number> = { supervisor: 25_000, server: 15_000, engine: 5000, redis: 5000 };

/** When the process started, or null if there is no such live process (a zombie counts as gone). */
function startTime(pid: number): string | null {
  try {
    // Linux: state and start time (clock ticks since boot) from /proc; the name may hold spaces, so cut after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || !fields[19] ? null : fields[19];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/stat')) return null;
  }
  try {
    // Elsewhere (macOS): ask ps.
    const out = execFileSync('ps', ['-o', 'stat=,lstart=', '-p', String(pid)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const [state, ...started] = out.split(/\s+/);
    return !state || state.startsWith('Z') || started.length === 0 ? null : started.join(' ');
  } catch {
    return null; // ps exits 1 when there is no such process
  }
}

export function processRefOf(pid: number): StackRecord['supervisor'] | undefined {
  const started = startTime(pid);
  return started ? { pid, started } : undefined;
}

const stillOurs = (ref: { pid: number; started: string }) => startTime(ref.pid) === ref.started;

export function readStackRecord(file: string): StackRecord | null {
  try {
    const parsed = record.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeStackRecord(file: string, value: StackRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Removes the record if it is this process's own (a newer start may have replaced it). */
export function forgetStackRecord(file: string): void {
  if (readStackRecord(file)?.supervisor.pid === process.pid) rmSync(file, { force: true });
}

async function gone(ref: { pid: number; started: string }, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (stillOurs(ref)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone in the meantime
  }
}

async function stopStale(role: Role, ref: { pid: number; started: string }, say: (line: string) => void): Promise<void> {
  if (!stillOurs(ref)) return; // its supervisor already stopped it
  say(`stale ${LABEL[role]} (pid ${ref.pid}) from a previous npm start is still running: stopping it…`);
  // A stopped (Ctrl-Z'd, frozen) process must wake up to act at all. An orphan then notices its parent is
  // gone and leaves by itself, which is its cleanest way out; SIGTERM only if it does not.
  signal(ref.pid, 'SIGCONT');
  if (role !== 'supervisor' && (await gone(ref, 3000))) return;
  signal(ref.pid, 'SIGTERM');
  if (await gone(ref, GRACE_MS[role])) return;
  say(`stale ${LABEL[role]} (pid ${ref.pid}) ignored SIGTERM for ${GRACE_MS[role] / 1000} s: killing it`);
  signal(ref.pid, 'SIGKILL');
  if (!(await gone(ref, 5000))) throw new Error(`could not stop the stale ${LABEL[role]} (pid ${ref.pid}); stop it by hand`);
}

export class StackInUse extends Error {
  constructor(readonly pid: number, file: string) {
    super(`npm start is already running on this data (pid ${pid}, ${file}): stop it with Ctrl-C in its terminal or \`kill ${pid}\`, or start another with its own QH_DATA_DIR and PORT`);
    this.name = 'StackInUse';
  }
}

/**
 * Stops what a previous start left running (SIGTERM, then SIGKILL after a bound) and says so.
 * Throws StackInUse while that start is itself still running, or if something of ours survives SIGKILL.
 */
export async function stopStaleStack(file: string, say: (line: string) => void): Promise<void> {
  const previous = readStackRecord(file);
  if (!previous) return;
  // Another npm start still running on this data is somebody's working stack, not a leftover: refuse
  // rather than take it down from under them.
  if (previous.supervisor.pid !== process.pid && stillOurs(previous.supervisor)) {
    throw new StackInUse(previous.supervisor.pid, file);
  }
  // Orphans go together: a server left alone would spend its whole grace period waiting on a frozen engine.
  const orphans = (['server', 'engine', 'redis'] as const).flatMap((role) => (previous[role] ? [stopStale(role, previous[role], say)] : []));
  await Promise.all(orphans);
  rmSync(file, { force: true });
}
