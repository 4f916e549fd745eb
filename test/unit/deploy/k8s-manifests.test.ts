// The Kubernetes manifests cannot drift from the product: every container runs a real `pulse` command with
// options that command has, every environment variable is a config variable, every file is in the kustomization.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../common/cli/main.js';
import { CONFIG_SPEC } from '../../../common/config.js';

const DIR = join(import.meta.dirname, '../../../deploy/k8s');

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: ({ configMapRef?: { name: string } } | { secretRef?: { name: string } })[];
}
type Doc = Record<string, unknown> & { kind: string; metadata: { name: string } };

function docs(): { file: string; doc: Doc }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
        expect(d.errors, `${file} parses`).toEqual([]);
        return { file, doc: d.toJS() as Doc };
      }),
    );
}

/** The pod template's containers of a workload (Deployment, DaemonSet, Job, CronJob). */
function containers(doc: Doc): Container[] {
  const spec = doc.spec as Record<string, unknown> | undefined;
  const template =
    doc.kind === 'CronJob'
      ? (((spec?.jobTemplate as Record<string, unknown>).spec as Record<string, unknown>).template as Record<string, unknown>)
      : (spec?.template as Record<string, unknown> | undefined);
  return template ? ((template.spec as { containers: Container[] }).containers ?? []) : [];
}

describe('deploy/k8s manifests', () => {
  const all = docs();
  const configEnv = new Set(CONFIG_SPEC.map((o) => o.env));

  it('lists every manifest file in the kustomization and nothing else', () => {
    const k = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { resources: string[] };
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...k.resources].sort()).toEqual(files.sort());
  });

  it('runs only real pulse commands, with options those commands have', async () => {
    const program = await buildProgram();
    const workloads = all.filter(({ doc }) => containers(doc).length > 0);
    expect(workloads.map(({ doc }) => doc.kind).sort()).toEqual(['CronJob', 'DaemonSet', 'Deployment', 'Deployment', 'Deployment', 'Job']);
    for (const { file, doc } of workloads) {
      for (const c of containers(doc)) {
        expect(c.image, `${file}: image`).toBe('factory-pulse');
        const [name, ...rest] = c.args ?? [];
        const command = program.commands.find((cmd) => cmd.name() === name);
        expect(command, `${file}: "${name}" is a pulse command`).toBeDefined();
        const longs = new Set(command!.options.map((o) => o.long));
        for (const arg of rest.filter((a) => a.startsWith('--'))) {
          expect(longs.has(arg), `${file}: ${name} has option ${arg}`).toBe(true);
        }
      }
    }
  });

  it('sets only variables the config knows (plus values fed to args)', () => {
    const data = all.filter(({ doc }) => doc.kind === 'ConfigMap' || doc.kind === 'Secret');
    const keys = data.flatMap(({ doc }) => Object.keys((doc.data ?? doc.stringData ?? {}) as object));
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(configEnv.has(key), `config variable ${key}`).toBe(true);
    for (const { file, doc } of all) {
      for (const c of containers(doc)) {
        const argText = (c.args ?? []).join(' ');
        for (const e of c.env ?? []) {
          const known = configEnv.has(e.name) || argText.includes(`$(${e.name})`);
          expect(known, `${file}: env ${e.name}`).toBe(true);
        }
        for (const from of c.envFrom ?? []) {
          const ref = 'configMapRef' in from ? from.configMapRef?.name : 'secretRef' in from ? from.secretRef?.name : undefined;
          expect(
            data.some(({ doc }) => doc.metadata.name === ref),
            `${file}: envFrom ${ref} exists`,
          ).toBe(true);
        }
      }
    }
  });
});
