/**
 * On-disk artefacts of a model version: `<dataDir>/models/<version>/{meta.json, duration/, failure/}`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../../common/errors.js';
import { createBundle, type BundleMeta, type ModelBundle } from '../nn/bundle.js';
import { directoryHandler } from './io-handler.js';

/** Folder of all model versions under the data dir. */
export function modelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

/** Folder of one version. */
export function versionDir(dataDir: string, version: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(version)) throw new ModelLoadError(version, 'version may hold only letters, digits, ".", "_" and "-"');
  return join(modelsDir(dataDir), version);
}

/** Writes a bundle's networks and meta; returns the folder. */
export async function saveBundle(dataDir: string, bundle: ModelBundle): Promise<string> {
  const dir = versionDir(dataDir, bundle.meta.version);
  await mkdir(dir, { recursive: true });
  await bundle.duration.save(directoryHandler(join(dir, 'duration'), bundle.meta.version));
  await bundle.failure.save(directoryHandler(join(dir, 'failure'), bundle.meta.version));
  await writeFile(join(dir, 'meta.json'), JSON.stringify(bundle.meta, null, 2));
  return dir;
}

/** Loads a version saved by {@link saveBundle}; throws ModelLoadError when it is missing or corrupt. */
export async function loadBundle(dataDir: string, version: string): Promise<ModelBundle> {
  const dir = versionDir(dataDir, version);
  let meta: BundleMeta;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as BundleMeta;
  } catch (err) {
    throw new ModelLoadError(version, `cannot read ${join(dir, 'meta.json')}: ${(err as Error).message}`, { cause: err });
  }
  if (meta.version !== version) throw new ModelLoadError(version, `meta.json names version ${meta.version}`);
  const duration = await tf.loadLayersModel(directoryHandler(join(dir, 'duration'), version));
  let failure: tf.LayersModel;
  try {
    failure = await tf.loadLayersModel(directoryHandler(join(dir, 'failure'), version));
  } catch (err) {
    duration.dispose();
    throw err;
  }
  try {
    return createBundle(meta, duration, failure);
  } catch (err) {
    duration.dispose();
    failure.dispose();
    throw err;
  }
}
