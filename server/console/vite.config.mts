import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The dispatcher console. Built into ./dist and served by the Koa app under /console/ with a strict
 * CSP (script-src 'self', no CDN), so everything — Vue, TDesign, fonts aside — is bundled here.
 * `root` is pinned to this folder so `vite build --config server/console/vite.config.ts` works from
 * the repository root.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [vue()],
  // Nothing under public/: the server only serves /console/assets/*, everything else is index.html.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Duty-desk machines run current Chromium-based browsers (see docs); no legacy bundle.
    target: 'es2022',
    reportCompressedSize: true,
    // agora-rtc-sdk-ng ships one prebuilt ~1.5 MB file; it is its own chunk, loaded only when a real
    // (non-fake) call starts (src/rtc/agora.ts), so it does not slow the queue or the login.
    chunkSizeWarningLimit: 1600,
  },
});
