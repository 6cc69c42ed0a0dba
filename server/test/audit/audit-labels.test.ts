import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTION_GROUP_LABELS, AUDIT_ACTION_LABELS } from '../../../typings/labels/audit-labels';
import { EDITS, TRANSITIONS } from '../../src/cases/lifecycle';
import { REPO_ROOT } from '../../src/platform/paths';

/** Every action the server audits, and every event of a case's log, reads in words on the audit page. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('the audit log in words', () => {
  const sources = sourceFiles(join(REPO_ROOT, 'server/src')).map((file) => readFileSync(file, 'utf8'));
  const audited = sources.flatMap((text) => [...text.matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g)].map((m) => m[1]!));
  const templated = sources.flatMap((text) => [...text.matchAll(/action: `([a-z_]+\.)\$\{/g)].map((m) => m[1]!));

  it('has a label for every action audited in server/src', () => {
    expect(audited.length).toBeGreaterThan(10);
    expect(audited.filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([]);
    // `identity_review.${decision}`: the prefix has labelled actions.
    for (const prefix of templated) expect(Object.keys(AUDIT_ACTION_LABELS).some((a) => a.startsWith(prefix))).toBe(true);
  });

  it('has a label for every event of a case, and a group for every action', () => {
    const caseActions = [...TRANSITIONS.map((r) => r.event), ...EDITS.map((r) => r.kind)].map((e) => `case.${e}`);
    expect(caseActions.filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([]);
    expect(Object.keys(AUDIT_ACTION_LABELS).filter((a) => !AUDIT_ACTION_GROUP_LABELS[a.split('.')[0]!])).toEqual([]);
  });
});
