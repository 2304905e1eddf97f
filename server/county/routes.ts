import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ROLES } from '../auth/roles.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { demoPercent } from './demo.js';
import { countyStats } from './stats.js';

const statusSchema = z.object({
  state: z.enum(['idle', 'ready', 'generating', 'loading', 'failed']),
  percent: z.number().int().min(0).max(100),
  step: z.string().optional(),
  layer: z.string().optional(),
  message: z.string().optional(),
});

/** The county model: its loading status and its counts. */
export function countyRoutes(ctx: AppContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/county/status',
      summary: 'Whether the county model is ready, or how far its generation and loading have come',
      tags: ['county'],
      access: ROLES,
      response: { description: 'The loading status.', schema: statusSchema },
      handler: () => {
        const status = ctx.demo.status;
        return {
          state: status.state,
          percent: demoPercent(status),
          ...(status.state === 'generating' ? { step: status.step } : {}),
          ...(status.state === 'loading' ? { layer: status.layer } : {}),
          ...(status.state === 'failed' ? { message: status.message } : {}),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/county/stats',
      summary: 'Counts of every layer of the county model',
      tags: ['county'],
      access: ['admin', 'planner', 'commander', 'leader'],
      query: z.object({
        county: z
          .string()
          .regex(/^\d{6}$/)
          .optional()
          .describe('County code; all counties when absent'),
      }),
      response: {
        description: 'Counts per layer.',
        schema: z.record(z.string(), z.number()),
      },
      handler: ({ query }) => countyStats(ctx.database.db, query.county),
    }),
  ];
}
