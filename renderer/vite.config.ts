// Renderer build: `vite build --config renderer/vite.config.ts` → dist/renderer.
// base './' so Electron can load index.html from a file:// URL; no inline
// scripts (strict CSP), CSS extracted to a file.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${repoRoot}dist/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: { input: { index: `${here}index.html` } },
  },
  server: {
    // The renderer imports shared contract and leg grammar files from electron/.
    fs: { allow: [repoRoot] },
  },
});
