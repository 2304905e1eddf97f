import { z } from 'zod';
import { mapStyleSchema } from '../../contracts/map.js';
import type { AppContext } from '../context.js';
import { householdScope, ROLES } from '../auth/roles.js';
import { wholeNumberText } from '../http/params.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { DEM_MAX_ZOOM } from './map-data.js';
import { buildMapStyle } from './style.js';

const tileParams = z
  .object({
    z: wholeNumberText(0, 22),
    x: wholeNumberText(0, 2 ** 22 - 1),
    y: wholeNumberText(0, 2 ** 22 - 1),
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
      response: { description: 'A MapLibre style, version 8.', schema: mapStyleSchema },
      handler: async ({ user }) =>
        buildMapStyle({
          baseUrl: ctx.config.publicUrl ?? '',
          extent: await ctx.mapData.extent(),
          households: householdScope(user) !== 'none',
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/map/tiles/:z/:x/:y.pbf',
      summary:
        'Vector tile of the basemap layers (county, townships, villages, rivers, roads, stations; households only for those who may see them)',
      tags: ['map'],
      access: ROLES,
      params: tileParams,
      response: {
        description: 'A Mapbox Vector Tile; empty when nothing is there.',
        contentType: 'application/x-protobuf',
      },
      handler: async ({ params, res, user }) => {
        const tile = await ctx.mapData.vectorTile(params.z, params.x, params.y, householdScope(user));
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
