/**
 * Makes tdesign-miniprogram loadable by miniprogram-simulate, the way the developer tools'
 * 「构建 npm」 makes it loadable by WeChat: a copy of miniprogram_dist laid out like
 * `miniprogram_npm/tdesign-miniprogram/…`, adjusted for the three things the simulator's pure-JS
 * runtime lacks. The components' own logic and templates are left as published.
 *
 * 1. Its .js files are ES modules (`import … from "tslib"`). jest only transforms our .ts, and
 *    jest.config.js is not ours to change, so each file is transformed to CommonJS here with
 *    @swc/core, and bare imports are pointed at the bundled miniprogram_dist/miniprogram_npm
 *    (where WeChat would look for them too).
 * 2. Its .wxml load WXS with `<wxs src="../common/utils.wxs" module="_"/>`. j-component only runs
 *    inline `<wxs module="_">…</wxs>`, so the file's text is inlined.
 * 3. WXS is not JavaScript: `getRegExp()` / `getDate()` are globals there, and `x.constructor`
 *    yields the type name as a string ('Array'). A small prelude gives the inlined WXS the same
 *    semantics, so `_._style([...])` and `_.cls(...)` compute the classes and styles TDesign meant.
 *
 * Not covered (and not used by our pages): `<template is>` from `<import>` renders nothing in
 * j-component's simulate compiler, so icons TDesign draws through common/template/icon.wxml
 * (cell arrows, button `icon` prop) are absent from the test DOM; WXS `require()` is a no-op.
 *
 * The copy lives under the OS temp dir, keyed by the TDesign version, never in the source tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { transformSync } from '@swc/core';

const PACKAGE = 'tdesign-miniprogram';
const PACKAGE_DIR = path.join(__dirname, '..', '..', 'node_modules', PACKAGE);
const DIST = path.join(PACKAGE_DIR, 'miniprogram_dist');
/** Bump when the adjustments below change, so stale copies are not reused. */
const ADJUSTMENT_REVISION = 1;

const WXS_PRELUDE = [
  'var getRegExp = function (pattern, flags) { return new RegExp(pattern, flags); };',
  'var getDate = function () { return new (Function.prototype.bind.apply(Date, [null].concat([].slice.call(arguments))))(); };',
  'var __wxsType = function (value) { return Object.prototype.toString.call(value).slice(8, -1); };',
].join('\n');

function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** WXS `x.constructor === 'Array'` → `__wxsType(x) === 'Array'`. */
function wxsToJs(source: string): string {
  return `${WXS_PRELUDE}\n${source.replace(/([A-Za-z_$][\w$]*(?:\[[^\][]*\]|\.[A-Za-z_$][\w$]*)*)\.constructor\b/g, '__wxsType($1)')}`;
}

function inlineWxs(wxml: string, wxmlPath: string): string {
  return wxml.replace(/<wxs\s+([^>]*?)\/>|<wxs\s+([^>]*?)>\s*<\/wxs>/g, (whole, a?: string, b?: string) => {
    const attrs = a ?? b ?? '';
    const src = /src="([^"]+)"/.exec(attrs)?.[1];
    const moduleName = /module="([^"]+)"/.exec(attrs)?.[1];
    if (!src || !moduleName) return whole;
    const code = fs.readFileSync(path.join(path.dirname(wxmlPath), src), 'utf8');
    return `<wxs module="${moduleName}">${wxsToJs(code)}</wxs>`;
  });
}

function esmToCommonJs(code: string, filename: string, npmDir: string): string {
  const out = transformSync(code, {
    filename,
    isModule: 'unknown', // tslib's UMD bundle is a script and must stay one
    jsc: { parser: { syntax: 'ecmascript' }, target: 'es2020' },
    module: { type: 'commonjs' },
    sourceMaps: false,
  }).code;
  // WeChat resolves a bare name against miniprogram_npm; the copy has no node_modules beside it.
  return out.replace(/require\("([^"./][^"]*)"\)/g, (_all, name: string) => `require(${JSON.stringify(path.join(npmDir, name))})`);
}

export function writeAtomically(file: string, content: string): void {
  // jest workers may build the same copy at once: never let one read another's half-written file.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

function build(from: string, to: string, npmDir: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      build(source, target, npmDir);
    } else if (entry.name.endsWith('.js')) {
      writeAtomically(target, esmToCommonJs(fs.readFileSync(source, 'utf8'), source, npmDir));
    } else if (entry.name.endsWith('.wxml')) {
      writeAtomically(target, inlineWxs(fs.readFileSync(source, 'utf8'), source));
    } else if (!entry.name.endsWith('.d.ts')) {
      writeAtomically(target, fs.readFileSync(source, 'utf8'));
    }
  }
}

/**
 * Returns a directory that plays the part of `miniprogram_npm`: it holds `tdesign-miniprogram/`
 * ready for the simulator. Built on first use, then reused across runs.
 */
export function simulatorNpmRoot(): string {
  const npmRoot = path.join(os.tmpdir(), 'miniprogram-simulate-npm', `${PACKAGE}@${version()}-r${ADJUSTMENT_REVISION}`);
  const done = path.join(npmRoot, '.complete');
  if (!fs.existsSync(done)) {
    build(DIST, path.join(npmRoot, PACKAGE), path.join(npmRoot, PACKAGE, 'miniprogram_npm'));
    writeAtomically(done, new Date().toISOString());
  }
  return npmRoot;
}
