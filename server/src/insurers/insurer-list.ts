import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Insurer } from '../../../typings/api/insurers';
import { REPO_ROOT } from '../platform/paths';

/** The insurers a party may pick (server/data/insurers.json): data, so a new one is a line, not code. */
const INSURERS: readonly Insurer[] = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'server/data/insurers.json'), 'utf8')) as { insurers: (Insurer & { fullName?: string })[] }
).insurers.map(({ code, name }) => ({ code, name }));

export const listInsurers = (): Insurer[] => INSURERS.map((i) => ({ ...i }));

export const findInsurer = (code: string): Insurer | null => INSURERS.find((i) => i.code === code) ?? null;
