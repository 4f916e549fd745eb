/** CLI commands: executor agent and job submission (see README "CLI"). */
import { Option, type Command } from 'commander';
import { intFlag, jsonOption, type CliContext } from '../../common/cli/context.js';

interface AgentFlags {
  pool: string;
  slots: number;
  executor?: string;
  maxSlots: number;
  exitWhenIdle?: boolean;
  idleMs: number;
  resourceIntervalMs: number;
  buildTimeoutMs: number;
  cacheNamespace?: string;
  keepImages: number;
  json?: boolean;
}

interface SubmitFlags {
  pool: string;
  combination: string;
  count: number;
  priority: number;
  arch: string;
  json?: boolean;
}

/** Registers `pulse agent` and `pulse submit`. */
export function registerAgentCommands(program: Command, ctx: CliContext): void {
  program
    .command('agent')
    .description("run an executor agent: build the pool's jobs on the Docker engine, emit events, obey directives")
    .requiredOption('--pool <name>', 'pool whose jobs this agent builds')
    .option('--slots <n>', 'concurrent build slots at start (scaling directives change it)', intFlag('slots', 0, 1024), 2)
    .option('--executor <id>', 'executor id in events (default: <hostname>-<pid>)')
    .option('--max-slots <n>', 'largest slot count a scaling directive may set', intFlag('max-slots', 1, 1024), 64)
    .option('--exit-when-idle', 'exit once the queue has been drained for --idle-ms')
    .option('--idle-ms <ms>', 'idle time before --exit-when-idle exits', intFlag('idle-ms', 100, 86_400_000), 15_000)
    .option('--resource-interval-ms <ms>', 'resource event interval', intFlag('resource-interval-ms', 200, 3_600_000), 5000)
    .option(
      '--build-timeout-ms <ms>',
      'build time limit (FAILED, category timeout, beyond it)',
      intFlag('build-timeout-ms', 1000, 86_400_000),
      600_000,
    )
    .option('--cache-namespace <ns>', 'separate layer cache namespace (benchmarks and tenants that must not share layers)')
    .addOption(
      new Option('--keep-images <n>', 'combination images kept per pool by image hygiene')
        .argParser(intFlag('keep-images', 1, 100_000))
        .default(20),
    )
    .addOption(jsonOption())
    .action(async (flags: AgentFlags) => {
      const { runAgentCommand } = await import('./run-agent.js');
      const out = ctx.output(flags);
      const summary = await runAgentCommand(ctx, flags, (m) => out.progress(m));
      out.result(
        summary,
        (s) =>
          `${s.executor}: ${s.builds} build(s), ${s.passed} passed, ${s.failed} failed, cache ${s.cacheHits} hit / ${s.cacheMisses} miss`,
      );
    });

  program
    .command('submit')
    .description('put build jobs for a pool on the jobs topic (and emit their QUEUED events)')
    .requiredOption('--pool <name>', 'pool that builds the jobs')
    .requiredOption('--combination <items>', 'module combination, e.g. "base@1;glibc@2.36;node@20"')
    .option('--count <k>', 'number of jobs', intFlag('count', 1, 100_000), 1)
    .option('--priority <p>', 'job priority', intFlag('priority', -1000, 1000), 0)
    .option('--arch <arch>', 'target architecture', 'amd64')
    .addOption(jsonOption())
    .action(async (flags: SubmitFlags) => {
      const { runSubmitCommand } = await import('./run-agent.js');
      const out = ctx.output(flags);
      const jobs = await runSubmitCommand(ctx, flags);
      out.result({ submitted: jobs.length, jobs }, (r) =>
        [
          `submitted ${r.submitted} job(s) for pool ${flags.pool}: ${r.jobs[0]?.combination.join(';') ?? ''}`,
          ...r.jobs.map((j) => `  ${j.jobId} (partition ${j.partition})`),
        ].join('\n'),
      );
    });
}
