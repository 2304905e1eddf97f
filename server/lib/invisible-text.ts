/**
 * Characters a person cannot see in a name but that change how it reads: bidirectional controls
 * (U+202E turns "gnp.exe" into "exe.png"), zero-width characters, the BOM inside text, and control
 * characters other than tab and line breaks. Names and notes typed into the app refuse them;
 * imported files have them stripped.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- the control characters are what this matches
  /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

/** The first invisible or direction-changing character in a text, as `U+202E`; null when there is none. */
export function invisibleCharacterIn(text: string): string | null {
  const match = INVISIBLE.exec(text);
  if (!match) return null;
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text without invisible or direction-changing characters (for imported files). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, '');
}

/**
 * Where in a request value (params, query or a JSON body) the first such character is: its path
 * (`attributes.name`) and the character; null when there is none. Keys that hold passwords are
 * not looked at (a password is never shown, and may be any text).
 */
export function findInvisibleCharacter(
  value: unknown,
  path: readonly string[] = [],
  depth = 0,
): { path: string; character: string } | null {
  if (typeof value === 'string') {
    const character = invisibleCharacterIn(value);
    return character ? { path: path.join('.'), character } : null;
  }
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const keyCharacter = invisibleCharacterIn(key);
    if (keyCharacter) return { path: [...path, key].join('.'), character: keyCharacter };
    if (/password/i.test(key)) continue;
    const found = findInvisibleCharacter(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
