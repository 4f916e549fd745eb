/**
 * The two networks: duration (three quantile heads — p10, p50, p90 — of the log-duration residual
 * over the anchor, trained with the pinball loss) and failure (one logit, sigmoid cross-entropy).
 */
import * as tf from '@tensorflow/tfjs';

/** Quantiles of the duration heads. */
export const QUANTILES = [0.1, 0.5, 0.9] as const;

function mlp(inputDim: number, outputs: number, seed: number): tf.Sequential {
  const init = (s: number): tf.serialization.Serializable => tf.initializers.glorotUniform({ seed: seed + s });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [inputDim], units: 64, activation: 'relu', kernelInitializer: init(1) as never }),
      tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(2) as never }),
      tf.layers.dense({ units: outputs, kernelInitializer: init(3) as never }),
    ],
  });
}

/** Pinball (quantile) loss summed over the {@link QUANTILES} heads; `yTrue` repeats the target per head. */
export function pinballLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const q = tf.tensor1d([...QUANTILES]);
    const e = tf.sub(yTrue, yPred);
    return tf.mean(tf.sum(tf.maximum(tf.mul(q, e), tf.mul(tf.sub(q, 1), e)), -1));
  });
}

/** Sigmoid cross-entropy on logits. */
export function logitLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.losses.sigmoidCrossEntropy(yTrue, yPred);
}

/** A compiled duration network. */
export function durationNet(inputDim: number, seed = 1, learningRate = 0.003): tf.Sequential {
  const m = mlp(inputDim, QUANTILES.length, seed);
  m.compile({ optimizer: tf.train.adam(learningRate), loss: pinballLoss });
  return m;
}

/** A compiled failure network (outputs a logit). */
export function failureNet(inputDim: number, seed = 2, learningRate = 0.003): tf.Sequential {
  const m = mlp(inputDim, 1, seed);
  m.compile({ optimizer: tf.train.adam(learningRate), loss: logitLoss });
  return m;
}
