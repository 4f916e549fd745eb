// Build-stream parsing, fed with streams recorded from the real engine (classic builder).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBuildStreamParser, createJsonLineSplitter, type BuildStreamEvent } from '../../../ingest/agent/build-stream.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function parse(raw: string, chunkSize = 0): BuildStreamEvent[] {
  let t = 0;
  const parser = createBuildStreamParser(() => (t += 10));
  const splitter = createJsonLineSplitter();
  const out: BuildStreamEvent[] = [];
  const chunks = chunkSize > 0 ? (raw.match(new RegExp(`[\\s\\S]{1,${chunkSize}}`, 'g')) ?? []) : [raw];
  for (const c of chunks) for (const m of splitter.push(Buffer.from(c))) out.push(...parser.push(m));
  for (const m of splitter.end()) out.push(...parser.push(m));
  out.push(...parser.end());
  return out;
}

const ends = (evs: BuildStreamEvent[]) => evs.filter((e): e is Extract<BuildStreamEvent, { type: 'step-end' }> => e.type === 'step-end');

describe('build stream parser', () => {
  it('reads a fresh build: steps that ran are misses, with image ids and the final image', () => {
    const evs = parse(fixture('build-miss.jsonl'));
    const starts = evs.filter((e) => e.type === 'step-start');
    expect(starts.map((e) => (e.type === 'step-start' ? e.number : 0))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(starts.every((e) => e.type === 'step-start' && e.total === 7)).toBe(true);
    const done = ends(evs);
    expect(done).toHaveLength(7);
    // Steps 4.. are RUN steps the engine ran (the recorded build found the base LABEL steps cached).
    expect(done.filter((e) => e.number >= 4).every((e) => e.ran && !e.cached)).toBe(true);
    expect(done.every((e) => /^[0-9a-f]{12}$/.test(e.imageId))).toBe(true);
    expect(done.every((e) => e.at > e.startedAt)).toBe(true);
    const image = evs.find((e) => e.type === 'image');
    expect(image?.type === 'image' && image.imageId).toMatch(/^[0-9a-f]{64}$/);
    expect(evs.some((e) => e.type === 'error')).toBe(false);
  });

  it('reads a rebuild: every step after FROM is a cache hit', () => {
    const done = ends(parse(fixture('build-hit.jsonl')));
    expect(done).toHaveLength(7);
    expect(done[0]).toMatchObject({ number: 1, cached: false, ran: false });
    expect(done.slice(1).every((e) => e.cached && !e.ran)).toBe(true);
  });

  it('reads a failing RUN step: error with exit code and step number, stderr as output', () => {
    const evs = parse(fixture('build-failed.jsonl'));
    const err = evs.find((e) => e.type === 'error');
    expect(err).toMatchObject({ type: 'error', exitCode: 21, step: 7 });
    expect(evs.some((e) => e.type === 'output' && e.text.includes('incompatible with zlib@1.2.13'))).toBe(true);
    expect(ends(evs).map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(evs.some((e) => e.type === 'image')).toBe(false);
  });

  it('gives the same events whatever the chunking of the byte stream', () => {
    const whole = parse(fixture('build-miss.jsonl'));
    for (const size of [1, 7, 64, 333]) expect(parse(fixture('build-miss.jsonl'), size)).toEqual(whole);
  });

  it('reports engine errors without an exit code and keeps non-JSON lines as output', () => {
    const parser = createBuildStreamParser(() => 1);
    expect(parser.push({ errorDetail: { message: 'pull access denied' }, error: 'pull access denied' })).toEqual([
      { type: 'error', message: 'pull access denied', exitCode: null, step: null, at: 1 },
    ]);
    const splitter = createJsonLineSplitter();
    const msgs = splitter.push('not json\r\n{"stream":"hello\\n"}\n');
    expect(msgs).toHaveLength(2);
    expect(msgs.flatMap((m) => parser.push(m))).toEqual([
      { type: 'output', text: 'not json' },
      { type: 'output', text: 'hello' },
    ]);
  });
});
