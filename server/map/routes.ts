import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ROLES } from '../auth/roles.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { DEM_MAX_ZOOM } from './map-data.js';
import { buildMapStyle } from './style.js';

const tileParams = z
  .object({
    z: z.coerce.number().int().min(0).max(22),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: 'x and y must be below 2^z' });

/** The basemap style and the tiles it names. */
export function mapRoutes(ctx: AppContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/map/style.json',
      summary: 'MapLibre style of the basemap, every source served by this server',
      tags: ['map'],
      access: ROLES,
      response: { description: 'A MapLibre style, version 8.', schema: z.record(z.string(), z.unknown()) },
      handler: async ({ req }) =>
        buildMapStyle({
          origin: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
          extent: await ctx.mapData.extent(),
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/map/tiles/:z/:x/:y.pbf',
      summary: 'Vector tile of the basemap layers (county, townships, villages, rivers, roads, households, stations)',
      tags: ['map'],
      access: ROLES,
      params: tileParams,
      response: {
        description: 'A Mapbox Vector Tile; empty when nothing is there.',
        contentType: 'application/x-protobuf',
      },
      handler: async ({ params, res }) => {
        const tile = await ctx.mapData.vectorTile(params.z, params.x, params.y);
        res.set('Cache-Control', 'no-cache').type('application/x-protobuf');
        res.send(tile ? Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength) : Buffer.alloc(0));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/map/dem/:z/:x/:y.png',
      summary: 'Elevation tile (Terrarium PNG) for the hillshade',
      tags: ['map'],
      access: ROLES,
      params: tileParams,
      response: { description: 'A Terrarium-encoded PNG; 204 outside the terrain.', contentType: 'image/png' },
      handler: async ({ params, res }) => {
        const tile = params.z <= DEM_MAX_ZOOM ? await ctx.mapData.demTile(params.z, params.x, params.y) : null;
        if (!tile) {
          res.status(204).end();
          return;
        }
        res.set('Cache-Control', 'no-cache').type('image/png').send(tile);
      },
    }),
  ];
}
