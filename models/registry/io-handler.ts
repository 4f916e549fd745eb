/**
 * A TensorFlow.js IOHandler that saves and loads a LayersModel as `model.json` + `weights.bin` in a
 * directory with node:fs — no `file://` scheme, so it works without `@tensorflow/tfjs-node`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../../common/errors.js';

interface StoredModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object | ArrayBuffer;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightsFile: string;
}

/** Save/load handler for the model stored in `dir` (`version` names it in errors). */
export function directoryHandler(dir: string, version = dir): tf.io.IOHandler {
  const modelPath = join(dir, 'model.json');
  const weightsPath = join(dir, 'weights.bin');
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new ModelLoadError(version, 'binary model topologies are not supported');
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json: StoredModelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology ?? {},
        weightSpecs: artifacts.weightSpecs ?? [],
        weightsFile: 'weights.bin',
      };
      // Write to temporary names and rename, so a concurrent reader never sees half a file.
      await writeFile(`${weightsPath}.tmp`, Buffer.from(weights));
      await writeFile(`${modelPath}.tmp`, JSON.stringify(json));
      await rename(`${weightsPath}.tmp`, weightsPath);
      await rename(`${modelPath}.tmp`, modelPath);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: StoredModelJson;
      let weights: Buffer;
      try {
        json = JSON.parse(await readFile(modelPath, 'utf8')) as StoredModelJson;
        weights = await readFile(weightsPath);
      } catch (err) {
        throw new ModelLoadError(version, `cannot read ${dir}: ${(err as Error).message}`, { cause: err });
      }
      const expected = json.weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
      if (weights.byteLength !== expected)
        throw new ModelLoadError(version, `weights.bin has ${weights.byteLength} bytes, model.json expects ${expected}`);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightSpecs,
        weightData: new Uint8Array(weights).buffer,
        ...(json.format ? { format: json.format } : {}),
        ...(json.generatedBy ? { generatedBy: json.generatedBy } : {}),
      };
    },
  };
}
