/**
 * What the WeChat developer tools' "构建 npm" would do for our one mini-program dependency: copy the
 * package's `miniprogram` folder to miniprogram/miniprogram_npm/<name>. Done by script because the
 * project keeps one root package.json, whose server dependencies must not be packed into the app.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const MINIPROGRAM_PACKAGES = ['tdesign-miniprogram'];

for (const name of MINIPROGRAM_PACKAGES) {
  const packageJson = require.resolve(`${name}/package.json`, { paths: [ROOT] });
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string; miniprogram?: string };
  const source = join(dirname(packageJson), manifest.miniprogram ?? 'miniprogram_dist');
  const target = join(ROOT, 'miniprogram/miniprogram_npm', name);
  const stamp = join(target, '.version');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === manifest.version) {
    console.log(`miniprogram_npm/${name}: ${manifest.version} already in place`);
    continue;
  }
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  writeFileSync(stamp, manifest.version);
  console.log(`miniprogram_npm/${name}: copied ${manifest.version}`);
}
