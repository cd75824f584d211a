import { describe, expect, it } from 'vitest';
import { excerpt, excerptValue } from './excerpt.ts';

describe('excerpt', () => {
  it('quotes short text whole and long text by its start and length', () => {
    expect(excerpt('mean radius')).toBe('"mean radius"');
    const long = 'x'.repeat(1 << 20);
    expect(excerpt(long)).toBe(`"${'x'.repeat(80)}…" (1048576 chars)`);
    expect(excerpt('a\nb<script>')).toBe('"a\\nb<script>"');
  });

  it('writes any JSON value in bounded length without recursion (10^5 levels deep)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(excerptValue(deep)).toBe('[[[[…]]]]');
    expect(excerptValue([1, 'a', null, { k: true }])).toBe('[1,"a",null,{"k":true}]');
    expect(excerptValue(Array.from({ length: 1000 }, (_, i) => i)).length).toBeLessThanOrEqual(81);
    expect(excerptValue({ a: [1, 2], b: 'x'.repeat(500) }).length).toBeLessThanOrEqual(81);
  });
});
