/**
 * Streams text to a file with back-pressure (waits for `drain`) and one error path: any write or open
 * failure becomes an InputError naming the file. Used by the generators of history CSVs.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { InputError } from '../../common/errors.js';

/** An open file being written. */
export interface TextFileWriter {
  /** Appends `text`; resolves once the stream accepts more. */
  write(text: string): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** Opens `file` for writing (truncating it). */
export async function openTextFile(file: string): Promise<TextFileWriter> {
  const out = createWriteStream(file);
  // Kept so an error between writes cannot go unhandled; `once` below rejects on it while waiting.
  let failure: Error | undefined;
  out.on('error', (err) => {
    failure = err;
  });
  const fail = (err: unknown): InputError => new InputError(file, `cannot write: ${(err as Error).message}`, { cause: err });
  const wait = (event: string): Promise<void> =>
    once(out, event).then(
      () => undefined,
      (err: unknown) => Promise.reject(fail(err)),
    );
  await wait('open');
  return {
    async write(text) {
      if (failure) throw fail(failure);
      if (!out.write(text)) await wait('drain');
    },
    async close() {
      out.end();
      await wait('finish');
      if (failure) throw fail(failure);
    },
  };
}
