// The server's module map, as rules the boundary test (server/test/module-boundaries.test.ts) holds the
// code to. Read bottom up: a module may import only from layers below its own, and a domain module
// only through its face (its index.ts). docs/ARCHITECTURE.md draws the same map.
const LAYERS = [
  ['config'],
  ['clients'],
  ['platform'],
  ['drivers', 'staff', 'certificates', 'staffing'],
  ['auth'],
  ['identity', 'brigades'],
  ['eligibility'],
  ['cases'],
  ['evidence'],
  ['call'],
  ['decisions'],
  ['reviews', 'insurers'],
  ['matters'],
  ['statistics', 'rostering'],
  ['console', 'health', 'audit-log', 'metrics'],
  // The published contract: reads the routes of every module, as the composition root hands them over.
  ['openapi'],
  // The composition root: builds the services and the app, starts the process.
  ['app-services.ts', 'services.ts', 'app.ts', 'jobs.ts', 'main.ts'],
];

/** Infrastructure: any file of these may be imported directly. Every other module has a face. */
const LIBRARIES = ['config', 'clients', 'platform'];
const COMPOSITION_ROOT = LAYERS[LAYERS.length - 1];
const DOMAIN = LAYERS.flat().filter((m) => !LIBRARIES.includes(m) && !COMPOSITION_ROOT.includes(m));

const escape = (name) => name.replace(/\./g, '\\.');
const pathOf = (module) => `^server/src/${escape(module)}${module.endsWith('.ts') ? '$' : '/'}`;
const anyOf = (modules) => `^server/src/(${modules.map(escape).join('|')})(/|$)`;

/** A module importing a module of its own layer or one above it. */
const layering = LAYERS.flatMap((layer, index) =>
  layer.map((module) => {
    // Modules of one layer stand side by side and do not import each other; the composition root's files do.
    const siblings = layer === COMPOSITION_ROOT ? [] : layer.filter((m) => m !== module);
    const forbidden = [...LAYERS.slice(index + 1).flat(), ...siblings];
    return {
      name: `layering:${module}`,
      comment: `${module} sits on layer ${index}; it may import only from the layers below it (${LAYERS.slice(0, index).flat().join(', ') || 'none'}).`,
      severity: 'error',
      from: { path: pathOf(module) },
      to: { path: forbidden.length ? anyOf(forbidden) : '^$' },
    };
  }),
).filter((rule) => rule.to.path !== '^$');

const config = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle: the files in it can only be understood, loaded and tested together.',
      severity: 'error',
      from: { path: '^server/src/' },
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-domain',
      comment: 'platform/ is infrastructure every module stands on: it must not know any of them.',
      severity: 'error',
      from: { path: '^server/src/(platform|clients|config)/' },
      to: { path: anyOf([...DOMAIN, ...COMPOSITION_ROOT]) },
    },
    {
      name: 'through-the-face',
      comment: "Another module's files are its own business: import what it offers from its index.ts.",
      severity: 'error',
      from: { path: '^server/src/([^/]+)' },
      to: {
        path: `^server/src/(${DOMAIN.join('|')})/`,
        pathNot: ['^server/src/$1/', `^server/src/(${DOMAIN.join('|')})/index\\.ts$`],
      },
    },
    ...layering,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|test)/|\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
// For the boundary test and the docs; hidden from dependency-cruiser's own schema check.
Object.defineProperty(config, 'moduleMap', { value: { LAYERS, LIBRARIES, DOMAIN, COMPOSITION_ROOT }, enumerable: false });
module.exports = config;
