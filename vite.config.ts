import { defineConfig } from 'vite';
import { offlineBundle } from './scripts/vite-offline.js';

// The web app lives in web/ and builds into dist/web, which the server serves.
export default defineConfig({
  root: 'web',
  publicDir: false,
  plugins: [offlineBundle()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps would carry the libraries' sources, full of external links; not shipped.
    sourcemap: false,
    // MapLibre is large by nature; it is split into its own chunk.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ }],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
