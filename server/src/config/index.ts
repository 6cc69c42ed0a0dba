import { idKeyProblem } from './id-keys';
import { productionProblems } from './production';
import { schema, type Config } from './schema';

/**
 * Every setting comes from the environment, validated here once (one file a group of settings, schema.ts
 * joins them). Development defaults work out of the box; secrets whose default starts with `dev-only-`
 * make the process refuse to start in production (production.ts).
 */
export type { Config } from './schema';
export { idCipherKeys, checkIdCipherKeys, type IdCipherKeys } from './id-keys';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const keyProblem = idKeyProblem(config);
  if (keyProblem) throw new ConfigError([keyProblem]);
  if (config.NODE_ENV === 'production') {
    const problems = productionProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return { ...config, cookieSecure: config.COOKIE_SECURE ?? config.NODE_ENV === 'production' };
}

/** `FOO=` in a shell or an .env file means "not set", not "set to the empty string". */
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
