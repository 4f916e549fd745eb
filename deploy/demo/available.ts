/**
 * Which parts of the pipeline this checkout has: the demo starts a part only when its `pulse`
 * command is registered, and passes only flags that command declares (other parts land independently).
 */
import type { Command } from 'commander';

/** A registered command and its long flags (`--pool`, …). */
export interface CommandInfo {
  name: string;
  flags: ReadonlySet<string>;
}

/** Registered commands by name (sub-commands as `parent sub`). */
export type CommandCatalog = ReadonlyMap<string, CommandInfo>;

/** Lists the commands of a commander program. */
export function catalogOf(program: Command): CommandCatalog {
  const out = new Map<string, CommandInfo>();
  const visit = (cmd: Command, prefix: string): void => {
    for (const c of cmd.commands) {
      const name = prefix ? `${prefix} ${c.name()}` : c.name();
      out.set(name, { name, flags: new Set(c.options.map((o) => o.long).filter((l): l is string => typeof l === 'string')) });
      visit(c, name);
    }
  };
  visit(program, '');
  return out;
}

/** Loads the real `pulse` program (every part's commands.ts) and lists its commands. */
export async function loadCommandCatalog(): Promise<CommandCatalog> {
  const { buildProgram } = await import('../../common/cli/main.js');
  return catalogOf(await buildProgram());
}

/** Builds an argument list keeping only the flags `info` declares; returns the dropped ones too. */
export function argsFor(
  info: CommandInfo,
  wanted: readonly (readonly [flag: string, value?: string | number])[],
): { args: string[]; dropped: string[] } {
  const args = info.name.split(' ');
  const dropped: string[] = [];
  for (const [flag, value] of wanted) {
    if (!info.flags.has(flag)) {
      dropped.push(flag);
      continue;
    }
    args.push(flag);
    if (value !== undefined) args.push(String(value));
  }
  return { args, dropped };
}
