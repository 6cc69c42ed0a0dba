import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CASE_STATES } from '../src/cases/lifecycle';
import * as caseCore from '../src/cases';

const run = promisify(execFile);
const REPO = join(__dirname, '../..');
const CONFIG = join(REPO, '.dependency-cruiser.cjs');
const DEPCRUISE = join(REPO, 'node_modules/.bin/depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

/** The module map's rules (.dependency-cruiser.cjs) applied to the tree under `cwd`. */
async function violationsIn(cwd: string): Promise<Violation[]> {
  // depcruise exits non-zero when it finds violations; the JSON on stdout is the answer either way.
  const result = await run(DEPCRUISE, ['--config', CONFIG, '--output-type', 'json', 'server/src'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`dependency-cruiser failed: ${err.stderr ?? String(err)}`);
      return { stdout: err.stdout };
    },
  );
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describeViolation = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('the server’s module boundaries', () => {
  it('holds: no import circle, no import up the layers, no import past a module’s face, platform knows no domain', async () => {
    const violations = await violationsIn(REPO);
    expect(violations.map(describeViolation)).toEqual([]);
  }, 60000);

  describe('each rule catches what it is for', () => {
    let fixture: string;
    let found: string[];

    beforeAll(async () => {
      fixture = mkdtempSync(join(tmpdir(), 'boundaries-'));
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
        'server/src/cases/index.ts': "export { openCase } from './open';\n",
        // cases sits below call: importing it runs up the layers.
        'server/src/cases/open.ts': "import { desk } from '../call';\nexport const openCase = () => desk;\n",
        'server/src/call/index.ts': "export { desk } from './desk';\n",
        // call may use cases, but only through its face.
        'server/src/call/desk.ts': "import { openCase } from '../cases/open';\nexport const desk = () => openCase;\n",
        // platform stands under every module.
        'server/src/platform/clock.ts': "import { openCase } from '../cases';\nexport const clock = () => openCase;\n",
        // A circle inside one module.
        'server/src/evidence/index.ts': "export { a } from './a';\n",
        'server/src/evidence/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'server/src/evidence/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fixture, path)), { recursive: true });
        writeFileSync(join(fixture, path), text);
      }
      found = (await violationsIn(fixture)).map(describeViolation);
    }, 60000);

    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it('an import up the layers', () => {
      expect(found).toContainEqual(expect.stringMatching(/^layering:cases: server\/src\/cases\/open\.ts → server\/src\/call\/index\.ts/));
    });
    it('an import into another module’s files instead of its face', () => {
      expect(found).toContain('through-the-face: server/src/call/desk.ts → server/src/cases/open.ts');
    });
    it('platform importing a domain module', () => {
      expect(found).toContain('platform-imports-no-domain: server/src/platform/clock.ts → server/src/cases/index.ts');
    });
    it('an import circle', () => {
      expect(found).toContainEqual(expect.stringMatching(/^no-circular: server\/src\/evidence\/(a|b)\.ts → server\/src\/evidence\/(a|b)\.ts/));
    });
  });

  it('the case core has two doors, transition() and edit(); changeCase is private', () => {
    expect(typeof caseCore.transition).toBe('function');
    expect(typeof caseCore.edit).toBe('function');
    expect(caseCore).not.toHaveProperty('changeCase');
    expect(readFileSync(join(REPO, 'server/src/cases/case-revisions.ts'), 'utf8')).not.toMatch(/export\s+(async\s+)?function\s+changeCase/);
  });

  it('lists of case states are declared in lifecycle.ts only', () => {
    const state = `'(${CASE_STATES.join('|')})'`;
    // Two or more state names side by side in a list (on one line or several): a state group that belongs in lifecycle.ts.
    const stateList = new RegExp(`${state}\\s*,\\s*${state}`, 'g');
    expect("{ $in: ['queued',\n 'in_call'] }".match(stateList)).toHaveLength(1);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !path.endsWith(join('cases', 'lifecycle.ts'))) {
          const source = readFileSync(path, 'utf8');
          for (const found of source.matchAll(stateList)) {
            offenders.push(`${relative(REPO, path)}:${source.slice(0, found.index).split('\n').length}: ${found[0].replace(/\s+/g, ' ')}`);
          }
        }
      }
    };
    walk(join(REPO, 'server/src'));
    expect(offenders).toEqual([]);
  });
});
