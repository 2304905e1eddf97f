import { describe, expect, it } from 'vitest';
import { findInvisibleCharacter, invisibleCharacterIn, stripInvisible } from './invisible-text.js';

describe('invisible characters in names', () => {
  it('finds bidirectional controls, zero-width characters and stray controls', () => {
    expect(invisibleCharacterIn('\u202egnp.exe\u200b')).toBe('U+202E');
    expect(invisibleCharacterIn('罗阳\u200b镇')).toBe('U+200B');
    expect(invisibleCharacterIn('\ufeff下洋村')).toBe('U+FEFF');
    expect(invisibleCharacterIn('a\u2066b')).toBe('U+2066');
    expect(invisibleCharacterIn('a\u0007b')).toBe('U+0007');
  });

  it('leaves ordinary Chinese, English, tabs and line breaks alone', () => {
    expect(invisibleCharacterIn('下洋村网格（一）')).toBeNull();
    expect(invisibleCharacterIn('Luoyang grid 3 — “east”')).toBeNull();
    expect(invisibleCharacterIn('职责一\n职责二\r\n\t备注')).toBeNull();
  });

  it('says where in a request the character is, past password fields', () => {
    expect(findInvisibleCharacter({ attributes: { name: 'ok', workerName: 'x\u200dy' } })).toEqual({
      path: 'attributes.workerName',
      character: 'U+200D',
    });
    expect(findInvisibleCharacter({ lists: ['a', 'b\u202e'] })).toEqual({ path: 'lists.1', character: 'U+202E' });
    expect(findInvisibleCharacter({ currentPassword: 'a\u200bb', newPassword: '\u202e' })).toBeNull();
    expect(findInvisibleCharacter({ 'na\u200bme': 'x' })).toEqual({ path: 'na\u200bme', character: 'U+200B' });
    expect(findInvisibleCharacter({ name: '正常' })).toBeNull();
  });

  it('strips them from imported text', () => {
    expect(stripInvisible('\ufeff罗阳\u200b镇\u202e')).toBe('罗阳镇');
  });
});
