/**
 * The JSON body of every refusal and failure (4xx, 5xx) of every route, file downloads included:
 * a stable code clients switch on, a sentence for people, and details that depend on the code.
 * Imports only zod (the web app may import it).
 */
import { z } from 'zod';
import { jsonValueSchema } from './json.js';

/** Every error code a client can see. */
export const ERROR_CODES = [
  'bad_request',
  'malformed_json',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'response_invalid',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string().describe('Chinese first, English beside it where a person will read it'),
    details: jsonValueSchema
      .optional()
      .describe('Free JSON that depends on the code, e.g. `problems` of validation_failed'),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
