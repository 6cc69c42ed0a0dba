import { startEmbeddedEngine } from '../../../scripts/lib/embedded-engine';

/** A stand-in for a test run: starts an engine on argv[2], says so, and waits to be killed. */
void startEmbeddedEngine({ dataDir: process.argv[2]!, backend: 'postgresql', fast: true }).then((engine) => {
  process.stdout.write(`ready ${engine.pid}\n`);
  setInterval(() => undefined, 60_000);
});
