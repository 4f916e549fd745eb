/**
 * Regenerates the configuration and error-code tables of README.md from CONFIG_SPEC and ERROR_CODES
 * (between `<!-- NAME:start -->` / `<!-- NAME:end -->` markers). Run: `npm run docs:tables`.
 * Unit tests check the README documents every option and code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIG_SPEC } from '../config.js';
import { ERROR_CODES } from '../errors.js';

function configTable(): string {
  const rows = ['| env var | file key | default | meaning |', '|---|---|---|---|'];
  for (const s of CONFIG_SPEC) {
    const d =
      s.default === undefined
        ? '—'
        : s.key === 'dataDir'
          ? '`<repo>/.pulse-data`'
          : `\`${Array.isArray(s.default) ? s.default.join(',') : String(s.default as string | number | boolean)}\`${s.secret ? ' (local only)' : ''}`;
    rows.push(`| \`${s.env}\` | \`${s.key}\` | ${d} | ${s.doc.replace(/\|/g, '\\|')} |`);
  }
  return rows.join('\n');
}

function errorTable(): string {
  const rows = ['| code | HTTP | meaning |', '|---|---|---|'];
  for (const [c, v] of Object.entries(ERROR_CODES)) rows.push(`| \`${c}\` | ${v.status} | ${v.doc} |`);
  return rows.join('\n');
}

function replaceBlock(text: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`README.md lacks the ${name} markers`);
  return text.replace(re, `$1${body}$2`);
}

const file = new URL('../../README.md', import.meta.url);
let text = readFileSync(file, 'utf8');
text = replaceBlock(text, 'config-table', configTable());
text = replaceBlock(text, 'error-table', errorTable());
writeFileSync(file, text);
process.stdout.write('README.md tables updated\n');
