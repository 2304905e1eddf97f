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
    // MapLibre and deck.gl are large by nature; they are split into their own chunks.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'deckgl', test: /node_modules[\\/](@deck\.gl|@luma\.gl|@loaders\.gl|@math\.gl|@probe\.gl)/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
