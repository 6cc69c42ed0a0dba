/** app.json against routes.ts and the pages on disk: a page WeChat cannot find fails here, not on a phone. */
import * as fs from 'fs';
import * as path from 'path';
import { PENDING_ROUTES, ROUTES } from '../routes';
import { MINIPROGRAM_ROOT } from './simulator';

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
