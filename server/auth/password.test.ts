import { scryptSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  hashPassword,
  KEY_BYTES,
  needsRehash,
  passwordProblems,
  SALT_BYTES,
  SCRYPT_PARAMS,
  verifyPassword,
  verifyPasswordOfNobody,
} from './password.js';

/** Cheap parameters for tests that only need a well-formed hash. */
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('hashPassword and verifyPassword', () => {
  let stored: string;

  beforeAll(async () => {
    stored = await hashPassword('Correct-Horse-42');
  });

  it('stores scrypt with N=2^15, r=8, p=1, a 16-byte salt and a 32-byte key', () => {
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(SALT_BYTES);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(KEY_BYTES);
  });

  it('is the standard scrypt of the password and salt (checked against scryptSync)', () => {
    const [, , , , saltText, keyText] = stored.split('$') as string[];
    const expected = scryptSync('Correct-Horse-42', Buffer.from(saltText!, 'base64'), 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(keyText).toBe(expected.toString('base64'));
  });

  it('accepts the right password and refuses wrong ones', async () => {
    expect(await verifyPassword('Correct-Horse-42', stored)).toBe(true);
    expect(await verifyPassword('correct-horse-42', stored)).toBe(false);
    expect(await verifyPassword('Correct-Horse-42 ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time, and both verify', async () => {
    const again = await hashPassword('Correct-Horse-42', FAST);
    const third = await hashPassword('Correct-Horse-42', FAST);
    expect(again).not.toBe(third);
    expect(await verifyPassword('Correct-Horse-42', again)).toBe(true);
    expect(await verifyPassword('Correct-Horse-42', third)).toBe(true);
  });

  it('treats composed and decomposed Unicode as the same password (NFC)', async () => {
    const composed = 'Café-Mañana-1';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const hash = await hashPassword(composed, FAST);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it('verifies hashes made with other (older) parameters', async () => {
    const old = await hashPassword('Old-Password-7', FAST);
    expect(old.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('Old-Password-7', old)).toBe(true);
    expect(await verifyPassword('Old-Password-8', old)).toBe(false);
  });

  it('refuses a tampered key, salt or parameter', async () => {
    const hash = await hashPassword('Tamper-Test-1', FAST);
    const parts = hash.split('$');
    const flipByte = (b64: string, index: number) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[index] = bytes[index]! ^ 1;
      return bytes.toString('base64');
    };
    const flipFirstByte = (b64: string) => flipByte(b64, 0);
    const withPart = (index: number, value: string) => parts.map((part, i) => (i === index ? value : part)).join('$');
    expect(await verifyPassword('Tamper-Test-1', withPart(5, flipFirstByte(parts[5]!)))).toBe(false);
    expect(await verifyPassword('Tamper-Test-1', withPart(5, flipByte(parts[5]!, 31)))).toBe(false);
    expect(await verifyPassword('Tamper-Test-1', withPart(4, flipFirstByte(parts[4]!)))).toBe(false);
    expect(await verifyPassword('Tamper-Test-1', withPart(1, '2048'))).toBe(false);
    expect(await verifyPassword('Tamper-Test-1', withPart(2, '4'))).toBe(false);
  });

  it('answers false, never throws, for malformed stored strings and non-string input', async () => {
    const good = await hashPassword('Malformed-1', FAST);
    const [, , , , salt, key] = good.split('$') as [string, string, string, string, string, string];
    const malformed: unknown[] = [
      undefined,
      null,
      42,
      {},
      '',
      'scrypt',
      'bcrypt$1024$8$1$' + salt + '$' + key,
      `scrypt$1024$8$1$${salt}`,
      `scrypt$1024$8$1$${salt}$${key}$extra`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1$8$1$${salt}$${key}`, // N below 2
      `scrypt$01024$8$1$${salt}$${key}`, // leading zero
      `scrypt$-1024$8$1$${salt}$${key}`,
      `scrypt$1024.0$8$1$${salt}$${key}`,
      `scrypt$${2 ** 21}$8$1$${salt}$${key}`, // more memory than any stored hash may ask for
      `scrypt$1024$17$1$${salt}$${key}`,
      `scrypt$1024$8$5$${salt}$${key}`,
      `scrypt$1024$0$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$${key.slice(0, -4)}!!!=`, // not base64
      `scrypt$1024$8$1$${salt}$${key.replace(/=$/, '')}`, // padding missing
      `scrypt$1024$8$1$${salt}$`, // empty key
      `scrypt$1024$8$1$$${key}`, // empty salt
      `scrypt$1024$8$1$${salt}$${Buffer.alloc(8).toString('base64')}`, // key too short
      `scrypt$1024$8$1$${salt}$${Buffer.alloc(65).toString('base64')}`, // key too long
      `scrypt$1024$8$1$${salt}$${key}`.padEnd(400, 'A'),
    ];
    for (const stored of malformed) {
      await expect(verifyPassword('Malformed-1', stored), String(stored)).resolves.toBe(false);
    }
    await expect(verifyPassword(undefined, good)).resolves.toBe(false);
    await expect(verifyPassword(12345678901, good)).resolves.toBe(false);
    await expect(verifyPassword('x'.repeat(1025), good)).resolves.toBe(false);
    expect(await verifyPassword('Malformed-1', good)).toBe(true);
  });

  it('refuses to hash absurdly long input', async () => {
    await expect(hashPassword('x'.repeat(1025), FAST)).rejects.toThrow(RangeError);
  });

  it('spends a check and answers false for a user who does not exist', async () => {
    expect(await verifyPasswordOfNobody('Correct-Horse-42')).toBe(false);
    expect(await verifyPasswordOfNobody(undefined)).toBe(false);
  });
});

describe('needsRehash', () => {
  it('is false for the current parameters and true for weaker or unreadable ones', async () => {
    const current = await hashPassword('Rehash-Test-1');
    expect(needsRehash(current)).toBe(false);
    expect(needsRehash(await hashPassword('Rehash-Test-1', FAST))).toBe(true);
    expect(needsRehash(await hashPassword('Rehash-Test-1', { N: 2 ** 15, r: 4, p: 1 }))).toBe(true);
    const [, , , , salt, key] = current.split('$') as string[];
    const shortSalt = Buffer.alloc(8, 7).toString('base64');
    expect(needsRehash(`scrypt$32768$8$1$${shortSalt}$${key}`)).toBe(true);
    expect(needsRehash(`scrypt$32768$8$1$${salt}$${Buffer.alloc(16, 7).toString('base64')}`)).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
    expect(needsRehash(`scrypt$65536$8$1$${salt}$${key}`)).toBe(false);
    expect(needsRehash(`scrypt$32768$8$2$${salt}$${key}`)).toBe(false);
  });

  it('compares against the exported current parameters', () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 32768, r: 8, p: 1 });
    expect(Object.isFrozen(SCRYPT_PARAMS)).toBe(true);
  });
});

describe('passwordProblems', () => {
  const tooShort = '密码至少 10 个字符（at least 10 characters）。';
  const tooLong = '密码最多 200 个字符（at most 200 characters）。';
  const sameAsUser = '密码不能与用户名相同（must not be the username）。';
  const containsUser = '密码不能包含用户名（must not contain the username）。';
  const oneClass =
    '密码须包含至少两类字符：小写字母、大写字母、数字、其他符号（at least two of: lowercase, uppercase, digits, other characters）。';
  const fewDistinct = '密码至少包含 5 个不同的字符（at least 5 different characters）。';
  const common = '这是常见密码，容易被猜到（a common password, easy to guess）。';
  const control = '密码不能包含控制字符（no control characters）。';

  it.each([
    ['Mountain-Grid-7', 'zhangsan'],
    ['correct horse battery', 'zhangsan'],
    ['泰顺县网格规划2024', 'zhangsan'],
    ['abcdefghi1', 'li'], // exactly 10 characters, two classes
    ['li-is-in-here-9', 'li'], // a 2-letter username may appear inside
  ])('accepts %s for %s', (password, username) => {
    expect(passwordProblems(password, username)).toEqual([]);
  });

  it('counts length in characters, at both edges', () => {
    expect(passwordProblems('abcdefgh1', 'u')).toEqual([tooShort]);
    expect(passwordProblems('abcdefgh12', 'u')).toEqual([]);
    expect(passwordProblems('山区网格规划治理一张', 'u')).toEqual([oneClass]); // 10 characters, one class
    expect(passwordProblems('山区网格规划治理一1', 'u')).toEqual([]);
    const max = 'abcde12345'.repeat(20);
    expect(passwordProblems(max, 'u')).toEqual([]);
    expect(passwordProblems(max + 'x', 'u')).toEqual([tooLong]);
    // 200 astral-plane characters are 400 UTF-16 units but 200 characters.
    expect(passwordProblems('𠀀𠀁𠀂𠀃1'.repeat(40), 'u')).toEqual([]);
  });

  it('refuses the username itself, in any case, and passwords containing it', () => {
    expect(passwordProblems('ZhangSan2024', 'zhangsan2024')).toEqual([sameAsUser]);
    expect(passwordProblems('my-zhangsan-pass', 'ZhangSan')).toEqual([containsUser]);
    expect(passwordProblems('my-zhangsan-pass', '  zhangsan ')).toEqual([containsUser]);
    expect(passwordProblems('xx-li-pass-99', 'li')).toEqual([]);
    expect(passwordProblems('Mountain-Grid-7', '')).toEqual([]);
  });

  it('refuses a single character class and too few distinct characters', () => {
    expect(passwordProblems('abcdefghijkl', 'u')).toEqual([oneClass]);
    expect(passwordProblems('ABCDEFGHIJKL', 'u')).toEqual([oneClass]);
    expect(passwordProblems('1234567890', 'u')).toEqual([oneClass]);
    expect(passwordProblems('aaaaaaaaaa', 'u')).toEqual([oneClass, fewDistinct]);
    expect(passwordProblems('aaaaaaaa11', 'u')).toEqual([fewDistinct]);
    expect(passwordProblems('abababab12', 'u')).toEqual([fewDistinct]);
    expect(passwordProblems('abcabcab12', 'u')).toEqual([]);
  });

  it('refuses common passwords without regard to case', () => {
    expect(passwordProblems('Password123', 'u')).toEqual([common]);
    expect(passwordProblems('woaini1314', 'u')).toEqual([common]);
  });

  it('refuses control characters', () => {
    expect(passwordProblems('abc\ndefgh12', 'u')).toEqual([control]);
    expect(passwordProblems('abc\u0000defgh12', 'u')).toEqual([control]);
  });

  it('lists every problem at once', () => {
    expect(passwordProblems('', 'u')).toEqual([tooShort]);
    expect(passwordProblems('zhang', 'zhang')).toEqual([tooShort, sameAsUser, oneClass]);
  });
});
