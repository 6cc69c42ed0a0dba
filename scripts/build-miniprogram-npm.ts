/**
 * What the WeChat developer tools' "构建 npm" would do for our mini-program dependencies: copy a
 * component library's `miniprogram` folder to miniprogram/miniprogram_npm/<name>, and a plain
 * CommonJS library's single-file build to miniprogram_npm/<name>/index.js (what `require('<name>')`
 * resolves to in the mini-program). Done by script because the project keeps one root package.json,
 * whose server dependencies must not be packed into the app.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
/** name → null (its `miniprogram` folder) or the one self-contained CommonJS file to use as index.js. */
const MINIPROGRAM_PACKAGES: Record<string, string | null> = {
  'tdesign-miniprogram': null,
  // SHA-256 of evidence photos on the phone (utils/uploadQueue.ts): ES5, no dependencies, no Node APIs.
  'js-sha256': 'build/sha256.cjs',
};

for (const [name, file] of Object.entries(MINIPROGRAM_PACKAGES)) {
  const packageJson = require.resolve(`${name}/package.json`, { paths: [ROOT] });
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string; miniprogram?: string };
  const target = join(ROOT, 'miniprogram/miniprogram_npm', name);
  const stamp = join(target, '.version');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === manifest.version) {
    console.log(`miniprogram_npm/${name}: ${manifest.version} already in place`);
    continue;
  }
  rmSync(target, { recursive: true, force: true });
  if (file) {
    mkdirSync(target, { recursive: true });
    cpSync(join(dirname(packageJson), file), join(target, 'index.js'));
  } else {
    cpSync(join(dirname(packageJson), manifest.miniprogram ?? 'miniprogram_dist'), target, { recursive: true });
  }
  writeFileSync(stamp, manifest.version);
  console.log(`miniprogram_npm/${name}: copied ${manifest.version}`);
}
