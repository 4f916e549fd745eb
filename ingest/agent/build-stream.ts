/**
 * Parser of the classic builder's JSON progress stream (`POST /build`, one JSON object per line):
 *
 *   {"stream":"Step 3/9 : RUN ..."} {"stream":"\n"}      a step starts
 *   {"stream":" ---> Using cache\n"}                      the engine reused the layer (cache hit)
 *   {"stream":" ---> Running in 1f09f80cb0c8\n"}          the step runs in a container (cache miss)
 *   {"stream":" ---> 3db7fdb14586\n"}                     the step ended with this image id
 *   {"errorDetail":{"code":3,"message":"..."},"error":"..."}   the build failed (code = exit code)
 *   {"aux":{"ID":"sha256:..."}}                           id of the built image
 *
 * Text inside `stream` values may be split across objects or hold several lines, so stream text is
 * reassembled into lines first. Pure: no I/O; the clock is passed in.
 */
import { StringDecoder } from 'node:string_decoder';

/** What the parser saw, in order. */
export type BuildStreamEvent =
  | { type: 'step-start'; number: number; total: number; instruction: string; at: number }
  | { type: 'step-end'; number: number; cached: boolean; ran: boolean; imageId: string; at: number; startedAt: number }
  | { type: 'output'; text: string }
  | { type: 'error'; message: string; exitCode: number | null; step: number | null; at: number }
  | { type: 'image'; imageId: string };

/** Incremental parser of one build's stream. */
export interface BuildStreamParser {
  /** Feeds one decoded JSON object of the stream; returns the events it completes. */
  push(message: unknown): BuildStreamEvent[];
  /** Flushes a trailing unterminated line; returns its events. */
  end(): BuildStreamEvent[];
}

const STEP_RE = /^Step (\d+)\/(\d+) : (.*)$/;
const ID_RE = /^ ---> ([0-9a-f]{12,64})$/;
const RUNNING_RE = /^ ---> Running in ([0-9a-f]{12,64})$/;
const SUCCESS_RE = /^Successfully built ([0-9a-f]{12,64})$/;
// eslint-disable-next-line no-control-regex -- the engine colours a step's stderr with ANSI escapes
const ANSI_RE = /\u001b\[[0-9;]*m/g;

interface Current {
  number: number;
  cached: boolean;
  ran: boolean;
  startedAt: number;
}

/** Creates a parser; `now` stamps step boundaries (ms). */
export function createBuildStreamParser(now: () => number = Date.now): BuildStreamParser {
  let buffer = '';
  let current: Current | null = null;
  let imageSeen = false;

  const line = (raw: string): BuildStreamEvent[] => {
    const text = raw.replace(ANSI_RE, '').replace(/\r$/, '');
    const step = STEP_RE.exec(text);
    if (step) {
      current = { number: Number(step[1]), cached: false, ran: false, startedAt: now() };
      return [{ type: 'step-start', number: current.number, total: Number(step[2]), instruction: step[3] ?? '', at: current.startedAt }];
    }
    if (text === ' ---> Using cache') {
      if (current) current.cached = true;
      return [];
    }
    if (RUNNING_RE.test(text)) {
      if (current) current.ran = true;
      return [];
    }
    const id = ID_RE.exec(text);
    if (id && current) {
      const done: Current = current;
      current = null;
      return [
        {
          type: 'step-end',
          number: done.number,
          cached: done.cached,
          ran: done.ran,
          imageId: id[1] ?? '',
          at: now(),
          startedAt: done.startedAt,
        },
      ];
    }
    const ok = SUCCESS_RE.exec(text);
    if (ok) {
      if (imageSeen) return [];
      imageSeen = true;
      return [{ type: 'image', imageId: ok[1] ?? '' }];
    }
    if (text.startsWith('Removing intermediate container') || text.startsWith('Successfully tagged') || text.trim() === '') return [];
    return [{ type: 'output', text }];
  };

  const streamText = (chunk: string): BuildStreamEvent[] => {
    buffer += chunk;
    const out: BuildStreamEvent[] = [];
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      out.push(...line(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
    return out;
  };

  return {
    push(message) {
      if (typeof message !== 'object' || message === null) return [];
      const m = message as {
        stream?: unknown;
        error?: unknown;
        errorDetail?: { code?: unknown; message?: unknown };
        aux?: { ID?: unknown };
      };
      if (typeof m.stream === 'string') return streamText(m.stream);
      if (m.error !== undefined || m.errorDetail !== undefined) {
        const pending = buffer === '' ? [] : line(buffer);
        buffer = '';
        const message =
          typeof m.errorDetail?.message === 'string' ? m.errorDetail.message : typeof m.error === 'string' ? m.error : 'build failed';
        const code = typeof m.errorDetail?.code === 'number' ? m.errorDetail.code : null;
        const failed: Current | null = current;
        return [...pending, { type: 'error', message, exitCode: code, step: failed ? failed.number : null, at: now() }];
      }
      if (m.aux && typeof m.aux.ID === 'string') {
        imageSeen = true;
        return [{ type: 'image', imageId: m.aux.ID.replace(/^sha256:/, '') }];
      }
      return [];
    },
    end() {
      const rest = buffer;
      buffer = '';
      return rest === '' ? [] : line(rest);
    },
  };
}

/** Splits a byte stream of JSON lines into objects; a line that is not JSON comes back as `{ stream }` text. */
export function createJsonLineSplitter(): { push(chunk: Buffer | string): unknown[]; end(): unknown[] } {
  let pending = '';
  const decoder = new StringDecoder('utf8');
  const parse = (l: string): unknown[] => {
    const t = l.trim();
    if (t === '') return [];
    try {
      return [JSON.parse(t) as unknown];
    } catch (err) {
      return [{ stream: `${t}\n`, parseError: (err as Error).message }];
    }
  };
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      return lines.flatMap(parse);
    },
    end() {
      const rest = pending + decoder.end();
      pending = '';
      return parse(rest);
    },
  };
}
