/**
 * History import: streams a CSV of past builds (csv-parse, one record at a time), converts each row
 * to build events and hands them to `send` in batches, with a bounded number of batches in flight
 * (memory stays flat for any file size). Bad rows are reported with their line number and skipped.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { InputError, PulseError, ValidationError } from '../../common/errors.js';
import type { BuildEvent } from '../contracts/types.js';
import { checkHeader, rowToBuildEvents } from './build-row.js';

/** A rejected row. */
export interface RowError {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  field: string;
  message: string;
}

/** Options of {@link importBuilds}. */
export interface ImportBuildsOptions {
  /** CSV file path or a readable stream. */
  input: string | Readable;
  /** Sends a batch of events (the CLI: `producer.sendMany('build', events)`); resolves when durable. */
  send: (events: BuildEvent[]) => Promise<void>;
  /** Rows per batch (default 500). */
  batchRows?: number;
  /** Batches in flight at most (default 4). */
  maxInFlight?: number;
  /** Producer id of the events (default `import-<file name>`). */
  producerId?: string;
  /** Called for each rejected row (the CLI prints the first ones). */
  onReject?: (error: RowError) => void;
  /** Called every `progressRows` rows. */
  onProgress?: (rows: number) => void;
  progressRows?: number;
  /** Row errors kept in the summary (default 100; all are counted). */
  keepErrors?: number;
}

/** What an import did. */
export interface ImportSummary {
  rows: number;
  imported: number;
  rejected: number;
  events: number;
  ignoredColumns: string[];
  /** The first `keepErrors` row errors. */
  errors: RowError[];
}

/** Imports a CSV of build history. Throws InputError for an unreadable file or malformed CSV. */
export async function importBuilds(options: ImportBuildsOptions): Promise<ImportSummary> {
  const name = typeof options.input === 'string' ? options.input : 'stream';
  const source = typeof options.input === 'string' ? createReadStream(options.input) : options.input;
  const producerId = options.producerId ?? `import-${basename(name)}`;
  const batchRows = options.batchRows ?? 500;
  const maxInFlight = options.maxInFlight ?? 4;
  const keep = options.keepErrors ?? 100;
  const progressRows = options.progressRows ?? 50_000;
  const summary: ImportSummary = { rows: 0, imported: 0, rejected: 0, events: 0, ignoredColumns: [], errors: [] };
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true });
  const inFlight: Promise<void>[] = [];
  let batch: BuildEvent[] = [];
  let header: string[] | undefined;

  const reject = (line: number, field: string, message: string): void => {
    summary.rejected += 1;
    const e = { line, field, message };
    if (summary.errors.length < keep) summary.errors.push(e);
    options.onReject?.(e);
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    const sent = options.send(events);
    // Marked handled now; the failure surfaces when this batch is awaited below.
    sent.catch(() => undefined);
    inFlight.push(sent);
    if (inFlight.length >= maxInFlight) await inFlight.shift();
  };

  source.on('error', (err: Error) => parser.destroy(err));
  source.pipe(parser);
  try {
    for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = cells.map((h) => h.trim());
        summary.ignoredColumns = checkHeader(header);
        continue;
      }
      summary.rows += 1;
      const line = info.lines;
      if (cells.length !== header.length) {
        reject(line, 'row', `has ${cells.length} cells but the header has ${header.length}`);
        continue;
      }
      const record: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) record[header[i] as string] = cells[i] as string;
      try {
        const events = rowToBuildEvents(record, line, producerId);
        batch.push(...events);
        summary.imported += 1;
        summary.events += events.length;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const prefix = `${err.fieldPath}: `;
        reject(line, err.fieldPath, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
      }
      if (batch.length >= batchRows * 2) await flush();
      if (summary.rows % progressRows === 0) options.onProgress?.(summary.rows);
    }
    if (!header) throw new InputError(name, 'is empty: expected a header line and rows');
    await flush();
    await Promise.all(inFlight);
  } catch (err) {
    // Stop reading the file (a header error ends the import before the stream does).
    source.destroy();
    await Promise.allSettled(inFlight);
    if (err instanceof PulseError) throw err;
    const e = err as NodeJS.ErrnoException & { lines?: number };
    throw new InputError(name, e.code === 'ENOENT' ? 'no such file' : `${e.lines ? `line ${e.lines}: ` : ''}${e.message}`, { cause: err });
  }
  return summary;
}
