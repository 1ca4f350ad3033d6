// Builds the renderer into dist/renderer (`vite build renderer`, or scripts/build.mjs), served by
// the browser host and by Electron's app protocol. Paths are relative to this folder (the root),
// and asset URLs relative so both hosts can serve the app from their root.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // No inline scripts: the CSP forbids them.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
  server: { host: '127.0.0.1' },
});
