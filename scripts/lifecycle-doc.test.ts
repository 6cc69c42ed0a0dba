import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLifecycleTable } from './lib/lifecycle-doc';

it('docs/ARCHITECTURE.md shows the lifecycle table the code runs (npm run docs:lifecycle)', () => {
  const doc = readFileSync(join(__dirname, '../docs/ARCHITECTURE.md'), 'utf8');
  const section = /<!-- lifecycle:begin -->\n([\s\S]*)<!-- lifecycle:end -->/.exec(doc)?.[1];
  expect(section).toBe(renderLifecycleTable());
});
