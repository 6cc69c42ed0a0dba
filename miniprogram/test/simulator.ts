/**
 * Loads a page of ours into miniprogram-simulate together with the npm components it declares.
 *
 * How the simulator finds a child component: for each `usingComponents` entry, simulate.load joins
 * a relative value with the component's folder and an absolute one (`/x/y`) with `rootPath`, and
 * registers it only if `<that path>.json` exists. Any other value is handed to j-component as is,
 * which then looks it up as a component *id*. WeChat instead resolves npm-style values
 * (`tdesign-miniprogram/button/button`) against miniprogram_npm, which the simulator does not know.
 *
 * The `usingComponents` load option cannot simply map those tags to files: it is merged into
 * *every* component of the load, TDesign's own included, which invents dependency cycles
 * (icon → button → … → image → icon) and the simulator then runs a template before the
 * component it uses is registered ("component t-icon not found").
 *
 * So, two steps:
 * 1. One load of a generated host component that lists every npm component the app declares,
 *    with relative paths into the stand-in miniprogram_npm (tdesign.ts). TDesign's components and
 *    their own dependencies register exactly as declared, in one load, so `relations` between
 *    them (t-steps ↔ t-step-item) link. We note the id each one gets (j-component's public
 *    `register`, observed for the duration of that load only).
 * 2. The page's load, with `usingComponents` mapping each npm-style tag to that id.
 *
 * app.json's `usingComponents` are global in WeChat; the simulator never reads app.json, so they are
 * merged in here, under the page's own.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as simulate from 'miniprogram-simulate';
import { simulatorNpmRoot, writeAtomically } from './tdesign';

export const MINIPROGRAM_ROOT = path.join(__dirname, '..');

type UsingComponents = Record<string, string>;

function readUsingComponents(jsonFile: string): UsingComponents {
  const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { usingComponents?: UsingComponents };
  return json.usingComponents ?? {};
}

const isNpmStyle = (value: string): boolean => !value.startsWith('.') && !value.startsWith('/');

/**
 * Component file → id, for every component registered in this test file. miniprogram-simulate
 * loads a file only once, so a second page of the same file finds its components here.
 */
const registeredIds = new Map<string, string>();

/** Step 1: registers the npm components once per test file; returns component path → id. */
function registerNpmComponents(npm: Map<string, string>): Map<string, string> {
  const npmRoot = simulatorNpmRoot();
  // Keyed by the app's tag names: the simulator prefixes each component's classes with its tag.
  const using = Object.fromEntries([...npm].map(([value, tag]) => [tag, `../${value}`]));
  const hash = crypto.createHash('sha1').update(JSON.stringify(using)).digest('hex').slice(0, 12);
  const host = path.join(npmRoot, '.host', hash);
  writeAtomically(`${host}.json`, JSON.stringify({ component: true, usingComponents: using }));
  writeAtomically(`${host}.wxml`, '<view/>');
  writeAtomically(`${host}.js`, 'Component({});\n');

  // The same module instance miniprogram-simulate calls (a namespace import would be a copy).
  const jComponent = require('j-component') as { register(definition: { id: string; path?: string }): string };
  const ids = registeredIds;
  const register = jComponent.register;
  jComponent.register = (definition) => {
    if (definition.path) ids.set(path.normalize(definition.path), definition.id);
    return register.call(jComponent, definition);
  };
  try {
    simulate.load(host, { compiler: 'simulate' });
  } finally {
    jComponent.register = register;
  }
  return new Map([...npm.keys()].map((value) => [value, ids.get(path.join(npmRoot, value)) ?? '']));
}

/** Where a non-npm `usingComponents` value points, without extension (as the simulator resolves it). */
export function localComponentPath(from: string, value: string): string {
  return value.startsWith('/') ? path.join(MINIPROGRAM_ROOT, value) : path.join(path.dirname(from), value);
}

/**
 * The npm-style declarations of a page and of our own components it uses, however deep. The
 * simulator merges the load's `usingComponents` into every component, so one map serves them all.
 */
function declaredUsingComponents(componentPath: string, seen = new Set<string>()): UsingComponents {
  if (seen.has(componentPath)) return {};
  seen.add(componentPath);
  const own = readUsingComponents(`${componentPath}.json`);
  let nested: UsingComponents = {};
  for (const value of Object.values(own)) {
    if (!isNpmStyle(value)) nested = { ...nested, ...declaredUsingComponents(localComponentPath(componentPath, value), seen) };
  }
  return { ...nested, ...own };
}

/** `route` as in app.json, e.g. `pages/home/index`. Returns the id for simulate.render. */
export function loadPage(route: string): string {
  const pagePath = path.join(MINIPROGRAM_ROOT, route);
  const declared: UsingComponents = {
    ...readUsingComponents(path.join(MINIPROGRAM_ROOT, 'app.json')),
    ...declaredUsingComponents(pagePath),
  };
  const npm = new Map<string, string>(); // npm value → first tag declaring it
  for (const [tag, value] of Object.entries(declared)) if (isNpmStyle(value) && !npm.has(value)) npm.set(value, tag);
  const ids = registerNpmComponents(npm);

  const usingComponents: UsingComponents = {};
  for (const [tag, value] of Object.entries(declared)) {
    const id = ids.get(value);
    if (id === '') throw new Error(`npm component ${value} (<${tag}>) did not register in the simulator`);
    if (id) usingComponents[tag] = id; // an id is no file path, so simulate passes it through
  }
  // compiler 'simulate': the default 'official' runs a bundled wcc binary that only works as root.
  // rootPath: where `/pages/...`-style absolute usingComponents resolve, as in WeChat.
  return simulate.load(pagePath, { compiler: 'simulate', rootPath: MINIPROGRAM_ROOT, usingComponents });
}
