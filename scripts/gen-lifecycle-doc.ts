/** Renders the case lifecycle table (server/src/cases/lifecycle.ts) into docs/ARCHITECTURE.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLifecycleTable } from './lib/lifecycle-doc';

const file = join(__dirname, '../docs/ARCHITECTURE.md');
const doc = readFileSync(file, 'utf8');
const next = doc.replace(/<!-- lifecycle:begin -->[\s\S]*<!-- lifecycle:end -->/, `<!-- lifecycle:begin -->\n${renderLifecycleTable()}<!-- lifecycle:end -->`);
writeFileSync(file, next);
console.log(next === doc ? 'docs/ARCHITECTURE.md: lifecycle table already current' : 'docs/ARCHITECTURE.md: lifecycle table updated');
