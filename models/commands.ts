/** CLI commands of the models part: `pulse train`, `pulse evaluate`, `pulse backtest`. */
import { Option, type Command } from 'commander';
import { intFlag, jsonOption, numberFlag, type CliContext } from '../common/cli/context.js';
import { table, type Output } from '../common/cli/output.js';
import type { HistoryRecord } from './features/types.js';
import { InputError } from '../common/errors.js';

/** Parses `--since`: ISO-8601, epoch ms, or a look-back like `30d`, `12h`, `90m`. */
export function parseSince(value: string, now = Date.now()): number {
  const rel = /^(\d+)([dhm])$/.exec(value.trim());
  if (rel) return now - Number(rel[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[2] as 'd' | 'h' | 'm'];
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const t = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value) : NaN;
  if (!Number.isFinite(t)) throw new InputError('--since', `"${value}" is not ISO-8601, epoch ms or a look-back like 30d/12h/90m`);
  return t;
}

/** Reads a history CSV for `--input`, reporting skipped rows as progress. */
async function readCsvRecords(file: string, out: Output): Promise<HistoryRecord[]> {
  const { readHistoryCsv } = await import('./data/csv-history.js');
  out.progress(`reading ${file}`);
  const csv = await readHistoryCsv(file);
  if (csv.rejectedCount > 0)
    out.progress(`skipped ${csv.rejectedCount} bad rows (first: line ${csv.rejected[0]?.line}: ${csv.rejected[0]?.reason})`);
  return csv.records;
}

export function registerCommands(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('train the build-duration and failure models from ClickHouse build_events, evaluate, register (champion/challenger)')
    .option('--since <time>', 'only builds finished since (ISO-8601, epoch ms, or 30d/12h/90m)')
    .option('--input <file>', 'train on a history CSV (import format) instead of ClickHouse build_events')
    .addOption(new Option('--epochs <n>', 'training epochs per network').argParser(intFlag('epochs', 1, 200)))
    .addOption(
      new Option('--holdout <share>', 'share of the latest builds held out (default 0.2)').argParser(numberFlag('holdout', 0.05, 0.5)),
    )
    .addOption(
      new Option('--max-rows <n>', 'most recent builds to read (default models.maxTrainRows)').argParser(
        intFlag('max-rows', 200, 10_000_000),
      ),
    )
    .addOption(jsonOption())
    .action(async (flags: { since?: string; input?: string; epochs?: number; holdout?: number; maxRows?: number; json?: boolean }) => {
      const sinceMs = flags.since === undefined ? undefined : parseSince(flags.since);
      const records = flags.input === undefined ? undefined : await readCsvRecords(flags.input, ctx.output(flags));
      const { runTraining } = await import('./train.js');
      const { comparisonText } = await import('./report-text.js');
      const { createClickHouse } = await import('../sinks/index.js');
      const out = ctx.output(flags);
      const clickhouse = createClickHouse(ctx.config());
      try {
        const r = await runTraining(
          { config: ctx.config(), clickhouse, logger: ctx.logger(), metrics: ctx.metrics(), progress: (m) => out.progress(m) },
          {
            ...(sinceMs !== undefined ? { sinceMs } : {}),
            ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
            ...(flags.holdout !== undefined ? { holdoutShare: flags.holdout } : {}),
            ...(flags.maxRows !== undefined ? { maxRows: flags.maxRows } : {}),
            ...(records ? { records } : {}),
          },
        );
        const { row: _row, ...result } = r;
        out.result(
          result,
          (d) =>
            `version ${d.version} (${d.promoted ? 'champion' : 'challenger'}: ${d.decision})\nbackend ${d.backend}, ${d.trainRows} training builds, ${d.holdout.rows} held out, ${d.seconds.toFixed(1)} s\n${comparisonText(d.comparison)}`,
        );
      } finally {
        await clickhouse.close();
      }
    });

  program
    .command('evaluate')
    .description('score the champion (or --version) on its held-out window beside the baselines')
    .option('--version <version>', 'model version (default: the champion)')
    .option('--input <file>', 'read the history from a history CSV (import format) instead of ClickHouse build_events')
    .addOption(jsonOption())
    .action(async (flags: { version?: string; input?: string; json?: boolean }) => {
      const records = flags.input === undefined ? undefined : await readCsvRecords(flags.input, ctx.output(flags));
      const { runEvaluate } = await import('./evaluate.js');
      const { comparisonText } = await import('./report-text.js');
      const { createClickHouse } = await import('../sinks/index.js');
      const out = ctx.output(flags);
      const clickhouse = createClickHouse(ctx.config());
      try {
        const r = await runEvaluate(
          { config: ctx.config(), clickhouse, logger: ctx.logger(), metrics: ctx.metrics(), progress: (m) => out.progress(m) },
          { ...(flags.version ? { version: flags.version } : {}), ...(records ? { records } : {}) },
        );
        out.result(r, (d) => `version ${d.version} (${d.status}), ${d.window.rows} held-out builds\n${comparisonText(d.comparison)}`);
      } finally {
        await clickhouse.close();
      }
    });

  program
    .command('backtest')
    .description('replay a history CSV (import format) test-then-train; report models vs both baselines, overall and per pool')
    .requiredOption('--input <file>', 'history CSV: build_id,pool,started_at,duration_ms,status[,combination,executor,queued_at,f_*]')
    .addOption(
      new Option('--retrain-every <n>', 'retrain after this many builds (default: a sixth of the history, ≤ 50000)').argParser(
        intFlag('retrain-every', 100, 10_000_000),
      ),
    )
    .addOption(
      new Option('--train-window <n>', 'most recent builds per retrain (default 30000)').argParser(
        intFlag('train-window', 100, 10_000_000),
      ),
    )
    .addOption(new Option('--epochs <n>', 'training epochs per network (default 4)').argParser(intFlag('epochs', 1, 200)))
    .addOption(jsonOption())
    .action(async (flags: { input: string; retrainEvery?: number; trainWindow?: number; epochs?: number; json?: boolean }) => {
      const { readHistoryCsv } = await import('./data/csv-history.js');
      const { runBacktest } = await import('./backtest.js');
      const { comparisonText } = await import('./report-text.js');
      const out = ctx.output(flags);
      out.progress(`reading ${flags.input}`);
      const csv = await readHistoryCsv(flags.input);
      if (csv.rejectedCount > 0)
        out.progress(`skipped ${csv.rejectedCount} bad rows (first: line ${csv.rejected[0]?.line}: ${csv.rejected[0]?.reason})`);
      const r = await runBacktest(
        csv.records,
        { logger: ctx.logger(), metrics: ctx.metrics() },
        {
          progress: (m) => out.progress(m),
          ...(flags.retrainEvery !== undefined ? { retrainEvery: flags.retrainEvery } : {}),
          ...(flags.trainWindow !== undefined ? { trainWindow: flags.trainWindow } : {}),
          ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
        },
      );
      out.result({ ...r, rejectedRows: csv.rejectedCount, rejected: csv.rejected.slice(0, 10) }, (d) => {
        const pools: (string | number)[][] = [['pool', 'rows', 'MAE model', 'MAE last-5', 'F1 model', 'F1 prev']];
        for (const p of d.pools)
          pools.push([
            p.pool,
            p.model.rows,
            p.model.duration_mae_ms.toFixed(0),
            p.baseline.duration_mae_ms.toFixed(0),
            p.model.failure_f1.toFixed(3),
            p.baseline.failure_f1.toFixed(3),
          ]);
        return `${d.rows} builds, ${d.scoredRows} scored, ${d.retrains} retrains every ${d.retrainEvery}, backend ${d.backend}, ${d.seconds.total.toFixed(1)} s\n${comparisonText(d.overall)}\n\n${table(pools)}`;
      });
    });
}
