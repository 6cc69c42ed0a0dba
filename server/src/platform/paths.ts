import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root, found by walking up to our package.json: the same answer whether this file
 * runs from source (tsx, jest) or compiled under dist/.
 */
export const REPO_ROOT: string = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'accident-video-quick') return dir;
  }
  return process.cwd();
})();
