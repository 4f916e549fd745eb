/**
 * CLI output: results on stdout (JSON with `--json`, text otherwise), progress and logs on stderr.
 */

/** Where a command writes its results and progress. */
export interface Output {
  /** True when the user asked for `--json`. */
  readonly json: boolean;
  /** Prints the command's result: `data` as one JSON document with --json, else `human(data)`. */
  result<T>(data: T, human: (data: T) => string): void;
  /** A progress line on stderr (suppressed with --quiet). */
  progress(message: string): void;
}

/** Options for {@link createOutput}. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Creates the output for one command run. */
export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json ?? false;
  return {
    json,
    result(data, human) {
      stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human(data)}\n`);
    },
    progress(message) {
      if (!options.quiet) stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
    },
  };
}

/** Formats rows as an aligned text table. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => String(c).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
