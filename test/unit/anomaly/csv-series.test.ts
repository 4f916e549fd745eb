import { describe, expect, it } from 'vitest';
import { PulseError } from '../../../common/errors.js';
import { parseSeriesCsv } from '../../../processors/anomaly/offline/csv-series.js';

function errorOf(text: string): PulseError {
  try {
    parseSeriesCsv(text, 'in.csv');
  } catch (err) {
    if (err instanceof PulseError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('CSV series input', () => {
  it('reads ISO-8601 and epoch-ms timestamps, keeping the written form', () => {
    const rows = parseSeriesCsv(
      'timestamp,value\n2026-01-05T00:00:00Z,1.5\n1767571260000,-2\n"2026-01-05T00:02:00.000+01:00", 3\n\n',
      'in.csv',
    );
    expect(rows.map((r) => [r.line, r.timestamp, r.t, r.value])).toEqual([
      [2, '2026-01-05T00:00:00Z', Date.UTC(2026, 0, 5), 1.5],
      [3, 1767571260000, 1767571260000, -2],
      [4, '2026-01-05T00:02:00.000+01:00', Date.UTC(2026, 0, 4, 23, 2), 3],
    ]);
  });

  it.each([
    ['time,value\n1,1', 'line 1: header must be "timestamp,value"'],
    ['timestamp,value\n1,1\n2', 'line 3: expected 2 columns'],
    ['timestamp,value\n1,1\nyesterday,2', 'line 3: timestamp "yesterday" is neither ISO-8601 nor epoch milliseconds'],
    ['timestamp,value\n1,abc', 'line 2: value "abc" is not a finite number'],
    ['timestamp,value\n1,\n', 'line 2: value is empty'],
    ['timestamp,value\n1,1\n\n2,2', 'line 3: empty line'],
    ['timestamp,value\n2026-13-45T00:00:00Z,1', 'line 2: timestamp "2026-13-45T00:00:00Z" is not a valid date'],
  ])('rejects %j naming the line', (text, message) => {
    const err = errorOf(text);
    expect(err.code).toBe('PULSE_ERR_INPUT');
    expect(err.message).toContain('in.csv');
    expect(err.message).toContain(message);
  });
});
