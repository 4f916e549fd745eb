/**
 * Debian's Chromium for the end-to-end browser test (playwright-core cannot download its own browser
 * here). Installed idempotently with apt, like the stack's other packages (deploy/stack/install.ts).
 */
import { existsSync } from 'node:fs';
import { runChecked } from './stack/proc.js';
import type { Progress } from './stack/paths.js';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless, offline, sandbox-free Chromium in a container (pass a fresh `--user-data-dir` too). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Installs Debian's `chromium` when {@link CHROMIUM_PATH} is missing; returns the executable path.
 * Throws a StackError (code PULSE_ERR_STACK) with apt's output when the installation fails.
 */
export function ensureChromium(progress: Progress = () => undefined): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  progress('installing Debian package chromium (apt-get, once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  runChecked('browser', 'apt-get', ['update', '-qq'], { env });
  runChecked('browser', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env });
  return CHROMIUM_PATH;
}
