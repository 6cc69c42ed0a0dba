import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLifecycleTable } from './lib/lifecycle-doc';
import { renderModuleMap } from './lib/module-map-doc';

it('docs/ARCHITECTURE.md shows the lifecycle table the code runs (npm run docs:lifecycle)', () => {
  const doc = readFileSync(join(__dirname, '../docs/ARCHITECTURE.md'), 'utf8');
  const section = /<!-- lifecycle:begin -->\n([\s\S]*)<!-- lifecycle:end -->/.exec(doc)?.[1];
  expect(section).toBe(renderLifecycleTable());
});

it('docs/ARCHITECTURE.md shows the module map the boundary rules hold, with each face (npm run docs:lifecycle)', () => {
  const doc = readFileSync(join(__dirname, '../docs/ARCHITECTURE.md'), 'utf8');
  const section = /<!-- modules:begin -->\n([\s\S]*)<!-- modules:end -->/.exec(doc)?.[1];
  expect(section).toBe(renderModuleMap());
});
