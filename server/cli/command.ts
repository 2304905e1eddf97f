import type { Database } from '../db/database.js';

/** What a command writes to: human text, or one JSON document with `--json`. */
export interface CommandIO {
  json: boolean;
  /** A line for people (stdout). Suppressed with --json. */
  say(line: string): void;
  /** Progress of a long job (stderr), shown in both modes. */
  progress(line: string): void;
  /** The machine-readable result (stdout), printed with --json. */
  result(value: unknown): void;
}

/** One `npm run cli -- <name>` command. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Whether the command needs the database opened and migrated. */
  needsDatabase: boolean;
  run(input: { args: string[]; io: CommandIO; database?: Database }): Promise<number | void>;
}
