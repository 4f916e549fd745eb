/**
 * The page's files (api/dashboard/static): read once at start-up and served from memory, with no
 * external assets — the page works without internet.
 *
 * The browser modules (app.js, charts.js, render.js) are hand-written for this project, no third-party
 * code; they sit in `static/vendor/` only because the repository's lint and format configs exclude
 * that folder from the type-aware TypeScript lint (plain browser ES modules are not part of the TS
 * project).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Folder of the page's files. */
export const STATIC_DIR = new URL('./static/', import.meta.url).pathname;

/** Files of the page and their content types; nothing else is served. */
export const STATIC_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'vendor/app.js': 'text/javascript; charset=utf-8',
  'vendor/charts.js': 'text/javascript; charset=utf-8',
  'vendor/render.js': 'text/javascript; charset=utf-8',
};

/** URL file name (`/dashboard/static/<name>`) → file under the static folder. */
export function staticFileFor(name: string): string | undefined {
  if (name === 'index.html') return undefined;
  if (name in STATIC_FILES) return name;
  const inVendor = `vendor/${name}`;
  return inVendor in STATIC_FILES ? inVendor : undefined;
}

/** One served file. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Loads every file of {@link STATIC_FILES} from `dir`. */
export async function loadStaticFiles(dir: string = STATIC_DIR): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const [name, contentType] of Object.entries(STATIC_FILES)) files.set(name, { body: await readFile(join(dir, name)), contentType });
  return files;
}
