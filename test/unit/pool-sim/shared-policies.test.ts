// Proves the directive engine's wiring and the pool simulator use the SAME policy modules (no copies):
// both resolve their policy imports to api/directives/policies/index.ts, and no policy factory is defined
// anywhere else in api/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as registry from '../../../api/directives/policies/index.js';
import { createReactivePolicy } from '../../../api/directives/policies/reactive.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const POLICY_INDEX = join(root, 'api/directives/policies/index.ts');

/** Absolute .ts paths of the relative imports of a source file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('engine and simulator share the policy modules', () => {
  it('the engine runtime creates its policies from the policy registry', () => {
    const runtime = join(root, 'api/server/runtime.ts');
    expect(importsOf(runtime)).toContain(POLICY_INDEX);
    expect(readFileSync(runtime, 'utf8')).toMatch(/createScalingPolicy\(/);
    // The engine itself only sees the shared interfaces.
    expect(importsOf(join(root, 'api/directives/engine.ts'))).toContain(join(root, 'api/directives/policies/types.ts'));
  });

  it('the simulator creates its policies from the same registry', () => {
    for (const f of ['simulator.ts', 'compare.ts', 'sweep.ts', 'run.ts'])
      expect(importsOf(join(root, 'api/pool-sim', f))).toContain(POLICY_INDEX);
  });

  it('no policy factory is defined outside api/directives/policies', () => {
    const factories = [
      'createReactivePolicy',
      'createScheduledPolicy',
      'createPredictivePolicy',
      'createLruPolicy',
      'createPredictiveWarmPolicy',
      'createBeladyPolicy',
    ];
    const elsewhere = tsFiles(join(root, 'api')).filter((f) => !f.startsWith(join(root, 'api/directives/policies')));
    for (const f of elsewhere) {
      const text = readFileSync(f, 'utf8');
      for (const name of factories) expect(text.includes(`function ${name}`), `${f} defines ${name}`).toBe(false);
    }
  });

  it('the registry hands out the module functions themselves', () => {
    expect(registry.SCALING_POLICIES.reactive).toBe(createReactivePolicy);
    expect(registry.createScalingPolicy('reactive').name).toBe('reactive');
  });
});
