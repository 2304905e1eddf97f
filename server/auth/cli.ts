import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli/command.js';
import { AppError } from '../http/errors.js';
import { writeAudit } from './audit.js';
import { isRole, ROLES } from './roles.js';
import { createUser, findUserByUsername, listUsers, updateUser, userAccount } from './store.js';

const USAGE =
  'user add --username U --role admin|planner|commander|leader [--name N] [--townships 330329101,…] | user password --username U | user disable|enable --username U | user list';

/** The environment variable a script may set instead of typing the password. */
export const PASSWORD_ENV = 'SHANWANG_PASSWORD';

/** A password typed at the terminal without echo, or the first line of piped input. */
async function readPassword(prompt: string): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (text: string) => {
      for (const c of text) {
        if (c === '\r' || c === '\n') return done();
        if (c === '\u0003') return done(new Error('Cancelled.'));
        if (c === '\u007f' || c === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else typed += c;
      }
    };
    stdin.on('data', onData);
  });
}

/** Turn a 4xx of the account store into a plain CLI error. */
function plain(err: unknown): never {
  if (err instanceof AppError) throw new Error(err.message, { cause: err });
  throw err;
}

/** `npm run cli -- user …`: accounts from the command line (the first admin is made here). */
export const userCommand: CliCommand = {
  name: 'user',
  summary: `Manage accounts; the password comes from stdin or ${PASSWORD_ENV}, never a flag`,
  usage: 'user add|password|disable|enable|list …',
  needsDatabase: true,
  async run({ args, io, database }) {
    const db = database!.db;
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        username: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        townships: { type: 'string' },
        password: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (values.password !== undefined) {
      throw new Error(`Never give a password as a flag (it stays in the shell history): use stdin or ${PASSWORD_ENV}.`);
    }
    const [action] = positionals;
    if (action === 'list') {
      const users = (await listUsers(db)).map(userAccount);
      for (const u of users) {
        io.say(
          `${u.username.padEnd(20)} ${u.role.padEnd(10)} ${u.disabled ? 'disabled' : 'enabled '} ${u.displayName}`,
        );
      }
      io.result({ users });
      return;
    }
    const username = values.username?.trim().toLowerCase();
    if (!username) throw new Error(`Say which account with --username. Usage: ${USAGE}`);
    if (action === 'add') {
      if (!isRole(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}. Usage: ${USAGE}`);
      const password = await readPassword(`Password for ${username}: `);
      const townships = values.townships ? values.townships.split(',').map((t) => t.trim()) : null;
      const row = await createUser(db, {
        username,
        role: values.role,
        password,
        townships,
        ...(values.name ? { displayName: values.name } : {}),
      }).catch(plain);
      await writeAudit(
        db,
        { id: null, username: 'cli', role: null },
        {
          action: 'cli.user_add',
          target: `user ${row.id}`,
          status: 201,
          after: userAccount(row),
        },
      );
      io.say(`Created ${row.username} (${row.role}).`);
      io.result(userAccount(row));
      return;
    }
    const user = await findUserByUsername(db, username);
    if (!user) throw new Error(`No account named ${username}.`);
    let changes;
    if (action === 'password') changes = { password: await readPassword(`New password for ${username}: `) };
    else if (action === 'disable') changes = { disabled: true };
    else if (action === 'enable') changes = { disabled: false };
    else throw new Error(`Unknown action ${action ?? '(none)'}. Usage: ${USAGE}`);
    const row = await updateUser(db, user.id, changes).catch(plain);
    await writeAudit(
      db,
      { id: null, username: 'cli', role: null },
      {
        action: `cli.user_${action}`,
        target: `user ${row.id}`,
        status: 200,
        before: userAccount(user),
        after: action === 'password' ? { password: 'changed' } : userAccount(row),
      },
    );
    io.say(
      `${action === 'password' ? 'Password changed' : action === 'disable' ? 'Disabled' : 'Enabled'}: ${username}.`,
    );
    io.result(userAccount(row));
  },
};
