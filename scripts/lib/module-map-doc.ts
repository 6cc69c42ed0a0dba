import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '../..');

interface ModuleMap {
  LAYERS: string[][];
  LIBRARIES: string[];
  DOMAIN: string[];
  COMPOSITION_ROOT: string[];
}

/** The layers as the boundary rules hold them (.dependency-cruiser.cjs). */
export function moduleMap(): ModuleMap {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(REPO, '.dependency-cruiser.cjs')) as { moduleMap: ModuleMap }).moduleMap;
}

/** A face's opening comment (what the module is) and the names it exports. */
function readFace(module: string): { about: string; exports: string[] } {
  const source = readFileSync(join(REPO, 'server/src', module, 'index.ts'), 'utf8');
  const comment = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const about = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .trim()
    .replace(/^\S+ — /, '');
  const exports = [...source.matchAll(/^export (type )?\{([^}]*)\}/gm)].flatMap((m) => m[2]!.split(',').map((n) => `${m[1] ? 'type ' : ''}${n.trim()}`).filter((n) => n.trim() && n !== 'type '));
  return { about, exports };
}

/** The module map as Markdown, top layer first: each domain module with what it is and its face. */
export function renderModuleMap(): string {
  const { LAYERS, LIBRARIES, COMPOSITION_ROOT } = moduleMap();
  const rows: string[] = [];
  LAYERS.forEach((layer, index) => {
    for (const module of layer) {
      const name = module.endsWith('.ts') ? `\`${module}\`` : `\`${module}/\``;
      if (COMPOSITION_ROOT.includes(module)) rows.push(`| ${index} | ${name} | composition root | — |`);
      else if (LIBRARIES.includes(module)) rows.push(`| ${index} | ${name} | infrastructure: any file may be imported | — |`);
      else {
        const face = readFace(module);
        rows.push(`| ${index} | ${name} | ${face.about} | ${face.exports.map((n) => `\`${n}\``).join(', ')} |`);
      }
    }
  });
  return ['| layer | module | what it is | its face (`index.ts`) |', '| --- | --- | --- | --- |', ...rows.reverse(), ''].join('\n');
}
