import type { Plugin } from 'vite';

/**
 * URIs that are names, not places: XML namespaces and the reserved `.invalid` base that
 * MapLibre parses URLs against. The browser never fetches them.
 */
export const OFFLINE_ALLOWED_URLS = [
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xhtml',
  'https://maplibre.invalid/',
];

const TEXT_ASSET = /\.(m?js|css|html|json|svg)$/;
const URL_PATTERN = /https?:\/\/[A-Za-z0-9.-]+[A-Za-z0-9/._~%@:+-]*/g;

/** Every external URL in a text, except the allowed names. */
export function externalUrls(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)]
    .map((match) => match[0])
    .filter((url) => !OFFLINE_ALLOWED_URLS.some((allowed) => url.startsWith(allowed)));
}

/**
 * The app runs on networks cut off from the internet, so the built bundle must name no external
 * place: libraries' links, documentation URLs and CDN defaults (loaders.gl's worker CDN) are
 * rewritten to a local path under `/offline/` that our server answers with 404. A fetch of one
 * then fails fast on our own server instead of waiting on a network that is not there.
 */
export function offlineBundle(): Plugin {
  return {
    name: 'shanwang-offline-bundle',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk') {
          item.code = item.code.replace(URL_PATTERN, rewrite);
        } else if (TEXT_ASSET.test(item.fileName)) {
          // Assets imported with `?url` (the MapLibre worker) arrive as bytes.
          const text = typeof item.source === 'string' ? item.source : new TextDecoder().decode(item.source);
          item.source = text.replace(URL_PATTERN, rewrite);
        }
      }
    },
  };
}

function rewrite(url: string): string {
  if (OFFLINE_ALLOWED_URLS.some((allowed) => url.startsWith(allowed))) return url;
  return `/offline/${url.replace(/^https?:\/\//, '')}`;
}
