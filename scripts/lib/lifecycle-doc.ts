import { CASE_STATES, EDITS, TERMINAL_STATES, TRANSITIONS } from '../../server/src/cases/lifecycle';

/** Both tables of server/src/cases/lifecycle.ts as Markdown, for docs/ARCHITECTURE.md. */
export function renderLifecycleTable(): string {
  const transitions = TRANSITIONS.map((t) => `| \`${t.from}\` | \`${t.event}\` | \`${t.to}\` | ${t.by.join(', ')} | ${t.meaning} |`);
  const edits = EDITS.map((e) => `| \`${e.kind}\` | ${e.states.length === CASE_STATES.length ? 'any state' : e.states.map((s) => `\`${s}\``).join(', ')} | ${e.by.join(', ')} | ${e.meaning} |`);
  return [
    '| from | event | to | by | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...transitions,
    '',
    `Terminal states: ${TERMINAL_STATES.map((s) => `\`${s}\``).join(', ')}.`,
    '',
    'Edits keep the state (`edit()`); outside its states an edit is refused with 409 `CASE_NOT_IN_CALL` and its own words:',
    '',
    '| edit | allowed in | by | meaning |',
    '| --- | --- | --- | --- |',
    ...edits,
    '',
  ].join('\n');
}
