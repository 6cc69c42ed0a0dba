/** Renders the case lifecycle tables (server/src/cases/lifecycle.ts) and the module map (.dependency-cruiser.cjs and each face) into docs/ARCHITECTURE.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLifecycleTable } from './lib/lifecycle-doc';
import { renderModuleMap } from './lib/module-map-doc';

const file = join(__dirname, '../docs/ARCHITECTURE.md');
const doc = readFileSync(file, 'utf8');
const next = doc
  .replace(/<!-- lifecycle:begin -->[\s\S]*<!-- lifecycle:end -->/, `<!-- lifecycle:begin -->\n${renderLifecycleTable()}<!-- lifecycle:end -->`)
  .replace(/<!-- modules:begin -->[\s\S]*<!-- modules:end -->/, `<!-- modules:begin -->\n${renderModuleMap()}<!-- modules:end -->`);
writeFileSync(file, next);
console.log(next === doc ? 'docs/ARCHITECTURE.md: lifecycle tables and module map already current' : 'docs/ARCHITECTURE.md: lifecycle tables and module map updated');
