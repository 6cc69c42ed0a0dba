import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The mini-program imports typings/ with `import type` only; a runtime value here would be missing there. */
describe('typings/', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(__dirname);

  it.each(files.map((f) => [f.slice(__dirname.length + 1), f]))('%s declares types only', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/^\s*export\s+(const|let|var|function|class|enum|default)\b/m);
    expect(source).not.toMatch(/^\s*import\s+(?!type\b)/m);
  });
});
