import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccidentScenario, ScenarioLibraryView } from '../../../typings/api/decisions';
import { isDuplicateKey } from '../platform/database';
import { conflict } from '../platform/errors';
import { REPO_ROOT } from '../platform/paths';
import { ScenarioLibraryRevision } from './scenario-library.model';

/** The 20 standard scenarios (server/data/accident-scenarios.json): revision 0 until ops change it. */
const SEEDED: readonly AccidentScenario[] = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/accident-scenarios.json'), 'utf8')) as { scenarios: AccidentScenario[] }
).scenarios;

export async function currentScenarioLibrary(): Promise<ScenarioLibraryView> {
  const latest = await ScenarioLibraryRevision.findOne().sort({ rev: -1 }).lean();
  if (!latest) return { rev: 0, changedBy: 'system', changedAt: new Date(0).toISOString(), scenarios: [...SEEDED] };
  return {
    rev: latest.rev,
    changedBy: latest.changedBy,
    changedAt: latest.changedAt.toISOString(),
    scenarios: latest.scenarios.map(({ code, title, description, basis }) => ({ code, title, description, basis })),
  };
}

/** Saves revision `baseRev + 1`; 409 when someone saved another revision meanwhile (the unique rev settles a race). */
export async function saveScenarioLibrary(scenarios: AccidentScenario[], baseRev: number, by: string): Promise<ScenarioLibraryView> {
  const current = await currentScenarioLibrary();
  const stale = () => conflict('情形库已被他人修改，请刷新后再改');
  if (current.rev !== baseRev) throw stale();
  try {
    await ScenarioLibraryRevision.create({ rev: baseRev + 1, scenarios, changedBy: by, changedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw stale();
    throw err;
  }
  return currentScenarioLibrary();
}
