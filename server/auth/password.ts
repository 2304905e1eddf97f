import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Cost parameters of scrypt: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** What new hashes use: 32 MiB and about 0.1 s per hash on one core of a small server. */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/** Longest password hashed at all; longer input is refused before any work (it only costs CPU). */
export const MAX_HASHED_PASSWORD_CHARS = 1024;

/**
 * The most a stored string may ask for, so that a corrupted or hostile row cannot make one login
 * allocate gigabytes or run for minutes.
 */
const MAX_STORED_PARAMS: Readonly<ScryptParams> = { N: 2 ** 20, r: 16, p: 4 };
const MIN_STORED_KEY_BYTES = 16;
const MAX_STORED_KEY_BYTES = 64;

const PREFIX = 'scrypt';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The memory OpenSSL needs for these parameters (its own check: 128·r·(N + p + 2) bytes), plus headroom. */
function maxmemFor({ N, r, p }: ScryptParams): number {
  return 128 * r * (N + p + 2) + 1024 * 1024;
}

/** Passwords are compared as NFC so that the same text typed with another input method still matches. */
function normalise(password: string): string {
  return password.normalize('NFC');
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams, keyBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt throws synchronously on bad parameters and reports other failures to the callback.
    try {
      scrypt(normalise(password), salt, keyBytes, { ...params, maxmem: maxmemFor(params) }, (err, key) =>
        err ? reject(err) : resolve(key),
      );
    } catch (err) {
      reject(err as Error);
    }
  });
}

/** Strict base64: Node's decoder skips characters it does not know, which would hide corruption. */
function decodeBase64(text: string): Buffer | null {
  if (!BASE64.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function parsePositiveInteger(text: string, max: number): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** Read `scrypt$N$r$p$salt$key`; null for anything else, including parameters out of bounds. */
function parseStoredHash(stored: unknown): StoredHash | null {
  if (typeof stored !== 'string' || stored.length > 300) return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return null;
  const [, nText, rText, pText, saltText, keyText] = parts as [string, string, string, string, string, string];
  const N = parsePositiveInteger(nText, MAX_STORED_PARAMS.N);
  const r = parsePositiveInteger(rText, MAX_STORED_PARAMS.r);
  const p = parsePositiveInteger(pText, MAX_STORED_PARAMS.p);
  if (N === null || r === null || p === null || N < 2 || (N & (N - 1)) !== 0) return null;
  const salt = decodeBase64(saltText);
  const key = decodeBase64(keyText);
  if (!salt || !key || salt.length < 8) return null;
  if (key.length < MIN_STORED_KEY_BYTES || key.length > MAX_STORED_KEY_BYTES) return null;
  return { params: { N, r, p }, salt, key };
}

/**
 * Hash a password for storage as `scrypt$N$r$p$saltBase64$keyBase64` (self-describing, so the
 * parameters can be raised later; see `needsRehash`). `params` is for tests and future upgrades.
 */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  if (password.length > MAX_HASHED_PASSWORD_CHARS) {
    throw new RangeError(`Passwords longer than ${MAX_HASHED_PASSWORD_CHARS} characters are not hashed.`);
  }
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, params, KEY_BYTES);
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `password` matches a string made by `hashPassword`, comparing in constant time. Never
 * throws: a malformed stored string, a non-string password or an oversized one give false.
 */
export async function verifyPassword(password: unknown, stored: unknown): Promise<boolean> {
  if (typeof password !== 'string' || password.length > MAX_HASHED_PASSWORD_CHARS) return false;
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  try {
    const key = await deriveKey(password, parsed.salt, parsed.params, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/** Whether a stored hash should be replaced (after a successful login) because it is weaker than new ones. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStoredHash(stored);
  if (!parsed) return true;
  const { params, salt, key } = parsed;
  return (
    params.N < SCRYPT_PARAMS.N ||
    params.r < SCRYPT_PARAMS.r ||
    params.p < SCRYPT_PARAMS.p ||
    salt.length < SALT_BYTES ||
    key.length < KEY_BYTES
  );
}

let dummyHash: Promise<string> | null = null;

/**
 * Spend the time of one password check when the username does not exist, so that response time
 * does not tell an attacker which usernames are real. Always false.
 */
export async function verifyPasswordOfNobody(password: unknown): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  await verifyPassword(password, await dummyHash);
  return false;
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
/** A username shorter than this is too common a substring to forbid inside passwords (only equality is). */
const USERNAME_MIN_CONTAINED_LENGTH = 3;
const MIN_DISTINCT_CHARACTERS = 5;

/** Well-known passwords that pass the other rules; compared without case. */
const COMMON_PASSWORDS = new Set([
  'password123',
  'password1234',
  'passw0rd123',
  'p@ssw0rd123',
  'qwerty123456',
  'qwertyuiop1',
  '1qaz2wsx3edc',
  '1q2w3e4r5t6y',
  'zaq12wsxcde3',
  'abc123456789',
  'a1234567890',
  'a123456789',
  'admin123456',
  'admin@12345',
  'iloveyou123',
  'woaini1314',
  'woaini520520',
  'qq123456789',
  'asd123456789',
  'aa123456789',
]);

/** Lowercase, uppercase, digits, everything else (symbols, spaces, Chinese characters). */
function characterClasses(characters: readonly string[]): number {
  const classes = new Set<string>();
  for (const c of characters) {
    if (/\p{Ll}/u.test(c)) classes.add('lower');
    else if (/\p{Lu}/u.test(c)) classes.add('upper');
    else if (/\p{Nd}/u.test(c)) classes.add('digit');
    else classes.add('other');
  }
  return classes.size;
}

/**
 * Why a new password is not acceptable for this user (zh-CN, English in parentheses); empty when
 * it is. Length is counted in characters (code points), not bytes.
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  const characters = Array.from(password);
  if (characters.length < PASSWORD_MIN_LENGTH) {
    problems.push(`密码至少 ${PASSWORD_MIN_LENGTH} 个字符（at least ${PASSWORD_MIN_LENGTH} characters）。`);
  }
  if (characters.length > PASSWORD_MAX_LENGTH) {
    problems.push(`密码最多 ${PASSWORD_MAX_LENGTH} 个字符（at most ${PASSWORD_MAX_LENGTH} characters）。`);
  }
  if (/\p{Cc}/u.test(password)) {
    problems.push('密码不能包含控制字符（no control characters）。');
  }
  const lowerPassword = password.toLowerCase();
  const lowerUsername = username.trim().toLowerCase();
  if (lowerUsername !== '') {
    if (lowerPassword === lowerUsername) {
      problems.push('密码不能与用户名相同（must not be the username）。');
    } else if (lowerUsername.length >= USERNAME_MIN_CONTAINED_LENGTH && lowerPassword.includes(lowerUsername)) {
      problems.push('密码不能包含用户名（must not contain the username）。');
    }
  }
  if (characters.length > 0 && characterClasses(characters) < 2) {
    problems.push(
      '密码须包含至少两类字符：小写字母、大写字母、数字、其他符号（at least two of: lowercase, uppercase, digits, other characters）。',
    );
  }
  if (characters.length > 0 && new Set(characters).size < MIN_DISTINCT_CHARACTERS) {
    problems.push(
      `密码至少包含 ${MIN_DISTINCT_CHARACTERS} 个不同的字符（at least ${MIN_DISTINCT_CHARACTERS} different characters）。`,
    );
  }
  if (COMMON_PASSWORDS.has(lowerPassword)) {
    problems.push('这是常见密码，容易被猜到（a common password, easy to guess）。');
  }
  return problems;
}
