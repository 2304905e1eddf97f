import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { buildMapStyle } from './style.js';

/** The basemap style and the map sources it names. */
export function mapRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/map/style.json',
      summary: 'MapLibre style of the basemap, every source served by this server',
      tags: ['map'],
      access: 'public',
      response: { description: 'A MapLibre style, version 8.', schema: z.record(z.string(), z.unknown()) },
      handler: ({ req }) => buildMapStyle({ origin: `${req.protocol}://${req.get('host') ?? 'localhost'}` }),
    }),
  ];
}
