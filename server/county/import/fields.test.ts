import { describe, expect, it } from 'vitest';
import { choice, digits, EVENT_CATEGORY_WORDS, integer, parseDateTime } from './fields.js';

describe('parseDateTime', () => {
  it('reads ISO 8601 with a time zone as given', () => {
    expect(parseDateTime('2024-05-01T14:30:00Z')?.toISOString()).toBe('2024-05-01T14:30:00.000Z');
    expect(parseDateTime('2024-05-01T14:30:00.250-05:00')?.toISOString()).toBe('2024-05-01T19:30:00.250Z');
    expect(parseDateTime('2024-05-01T14:30+0530')?.toISOString()).toBe('2024-05-01T09:00:00.000Z');
  });

  it('takes a time without a zone as Asia/Shanghai, and a date alone as its midnight', () => {
    expect(parseDateTime('2024-05-01 14:30')?.toISOString()).toBe('2024-05-01T06:30:00.000Z');
    expect(parseDateTime('2024/5/1')?.toISOString()).toBe('2024-04-30T16:00:00.000Z');
  });

  it('refuses impossible dates and other text', () => {
    expect(parseDateTime('2023-02-29')).toBeUndefined();
    expect(parseDateTime('2024-13-01')).toBeUndefined();
    expect(parseDateTime('2024-05-01T24:00')).toBeUndefined();
    expect(parseDateTime('yesterday')).toBeUndefined();
    expect(parseDateTime(1714545000000)).toBeUndefined();
  });
});

describe('field parsers', () => {
  it('read codes, whole numbers and choices with their synonyms', () => {
    const code = digits('code', [], 9, 'township code');
    expect(code.parse('330329101')).toBe('330329101');
    expect(code.parse(330329101)).toBe('330329101');
    expect(code.parse('33032910')).toBeUndefined();
    const persons = integer('persons', [], 1, 40);
    expect(persons.parse(' 3 ')).toBe(3);
    expect(persons.parse(3)).toBe(3);
    expect(persons.parse('3.5')).toBeUndefined();
    expect(persons.parse(0)).toBeUndefined();
    expect(persons.expected).toBe('a whole number from 1 to 40');
    const category = choice('category', [], EVENT_CATEGORY_WORDS);
    expect(category.parse('矛盾纠纷')).toBe('dispute');
    expect(category.parse('Traffic Accident')).toBe('traffic_accident');
    expect(category.parse('theft')).toBeUndefined();
  });
});
