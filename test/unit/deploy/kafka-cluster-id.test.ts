import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../../deploy/stack/kafka.js';

describe('newClusterId', () => {
  it('is 22 base64url characters and never starts with "-" (the storage tool would read it as an option)', () => {
    // About 1 in 64 raw ids starts with '-', so 5000 draws all but guarantee the guard is exercised.
    const ids = Array.from({ length: 5000 }, () => newClusterId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
