/** app.json against routes.ts and the pages on disk: a page WeChat cannot find fails here, not on a phone. */
import * as fs from 'fs';
import * as path from 'path';
import { PENDING_ROUTES, ROUTES } from '../routes';
import { MINIPROGRAM_ROOT, localComponentPath } from './simulator';

interface AppJson {
  pages: string[];
  requiredPrivateInfos?: string[];
  permission?: Record<string, { desc: string }>;
}

const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as AppJson;

test('every route is a page in app.json with its four files — except the pending ones, which are not', () => {
  expect(app.pages[0]).toBe('pages/home/index');
  for (const route of Object.values(ROUTES)) {
    const page = route.slice(1);
    if (PENDING_ROUTES.has(route)) {
      expect(app.pages).not.toContain(page);
      continue;
    }
    expect(app.pages).toContain(page);
    for (const ext of ['ts', 'json', 'wxml', 'wxss']) expect(fs.existsSync(path.join(MINIPROGRAM_ROOT, `${page}.${ext}`))).toBe(true);
  }
  expect(app.pages).toHaveLength(Object.values(ROUTES).length - PENDING_ROUTES.size);
});

test('location: both private-info APIs declared, and the permission prompt explains why', () => {
  expect(app.requiredPrivateInfos).toEqual(expect.arrayContaining(['getLocation', 'chooseLocation']));
  expect(app.permission?.['scope.userLocation']?.desc).toContain('事故地点');
});

test('every TDesign component a page uses is declared by that page or the app', () => {
  const global = Object.keys((JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { usingComponents?: object }).usingComponents ?? {});
  for (const page of app.pages) {
    const wxml = fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${page}.wxml`), 'utf8');
    const own = Object.keys((JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${page}.json`), 'utf8')) as { usingComponents?: object }).usingComponents ?? {});
    const used = new Set([...wxml.matchAll(/<(t-[a-z-]+)/g)].map((m) => m[1]!));
    for (const tag of used) expect({ page, tag, declared: global.includes(tag) || own.includes(tag) }).toEqual({ page, tag, declared: true });
  }
});

/** Our own components a page or component declares (not npm's), as absolute paths without extension, however deep. */
function ownComponents(file: string, found = new Set<string>()): Set<string> {
  const using = (JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {};
  for (const value of Object.values(using)) {
    if (!value.startsWith('/') && !value.startsWith('.')) continue; // npm
    const target = localComponentPath(file, value);
    if (found.has(target)) continue;
    found.add(target);
    if (fs.existsSync(`${target}.json`)) ownComponents(target, found);
  }
  return found;
}

test('every component of ours a page uses resolves to a component with its four files, and declares the TDesign components it uses', () => {
  const global = Object.keys((JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { usingComponents?: object }).usingComponents ?? {});
  const components = new Set(app.pages.flatMap((page) => [...ownComponents(path.join(MINIPROGRAM_ROOT, page))]));
  expect([...components].map((c) => path.relative(MINIPROGRAM_ROOT, c))).toEqual(expect.arrayContaining(['components/call-video/index', 'components/call-after/index']));
  for (const component of components) {
    const where = path.relative(MINIPROGRAM_ROOT, component);
    for (const ext of ['ts', 'json', 'wxml', 'wxss']) expect({ where, ext, exists: fs.existsSync(`${component}.${ext}`) }).toEqual({ where, ext, exists: true });
    const json = JSON.parse(fs.readFileSync(`${component}.json`, 'utf8')) as { component?: boolean; usingComponents?: object };
    expect({ where, component: json.component }).toEqual({ where, component: true });
    const own = Object.keys(json.usingComponents ?? {});
    const used = new Set([...fs.readFileSync(`${component}.wxml`, 'utf8').matchAll(/<(t-[a-z-]+)/g)].map((m) => m[1]!));
    for (const tag of used) expect({ where, tag, declared: global.includes(tag) || own.includes(tag) }).toEqual({ where, tag, declared: true });
  }
});

test('no page or component of ours is over 300 lines (ts and wxml)', () => {
  const files = app.pages.flatMap((page) => [path.join(MINIPROGRAM_ROOT, page), ...ownComponents(path.join(MINIPROGRAM_ROOT, page))]);
  for (const file of new Set(files)) {
    for (const ext of ['ts', 'wxml']) {
      const where = `${path.relative(MINIPROGRAM_ROOT, file)}.${ext}`;
      const lines = fs.readFileSync(`${file}.${ext}`, 'utf8').split('\n').length;
      expect({ where, short: lines <= 300 }).toEqual({ where, short: true });
    }
  }
});
