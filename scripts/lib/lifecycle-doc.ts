import { TERMINAL_STATES, TRANSITIONS } from '../../server/src/cases/lifecycle';

export function renderLifecycleTable(): string {
  const rows = TRANSITIONS.map((t) => `| \`${t.from}\` | \`${t.event}\` | \`${t.to}\` | ${t.by.join(', ')} | ${t.meaning} |`);
  return [
    '| from | event | to | by | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Terminal states: ${TERMINAL_STATES.map((s) => `\`${s}\``).join(', ')}.`,
    '',
  ].join('\n');
}
