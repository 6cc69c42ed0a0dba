import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'miniprogram_npm') found.push(...filesUnder(path, keep));
    } else if (keep(name)) found.push(path);
  }
  return found;
}

/**
 * typings/api: the contract. The mini-program imports it with `import type` only; a runtime value there
 * would be missing there. typings/labels: word tables the server and the console both print (audit
 * actions and fields) — values, so the mini-program must never import them.
 */
describe('typings/', () => {
  const sources = filesUnder(__dirname, (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const api = sources.filter((f) => !f.startsWith(join(__dirname, 'labels')));
  const labels = sources.filter((f) => f.startsWith(join(__dirname, 'labels')));

  it.each(api.map((f) => [f.slice(__dirname.length + 1), f]))('%s declares types only', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/^\s*export\s+(const|let|var|function|class|enum|default)\b/m);
    expect(source).not.toMatch(/^\s*import\s+(?!type\b)/m);
  });

  it.each(labels.map((f) => [f.slice(__dirname.length + 1), f]))('%s imports only types (it runs in the server and the console alike)', (_name, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*import\s+(?!type\b)/m);
  });

  it('the mini-program never imports typings/labels', () => {
    const miniprogram = filesUnder(join(REPO_ROOT, 'miniprogram'), (name) => name.endsWith('.ts'));
    expect(miniprogram.length).toBeGreaterThan(10);
    const offenders = miniprogram.filter((f) => /typings\/labels\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
