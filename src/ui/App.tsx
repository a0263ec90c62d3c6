import { useMemo } from 'react';
import { lossAndGradients } from '../engine/bptt';
import { initModel } from '../engine/init';
import { describeSpec } from '../engine/modelFile';
import { Rng } from '../engine/rng';
import type { Batch } from '../engine/batch';
import type { ModelSpec } from '../engine/model';

/**
 * A placeholder page until the playground's panels arrive: it runs one BPTT pass of the float64
 * engine on a seeded toy batch, which proves that the engine bundles and runs in the browser.
 * (The real app trains in a worker; this single small pass is the only exception.)
 */
function useEngineCheck(): { description: string; loss: number; gradNorm: number } {
  return useMemo(() => {
    const spec: ModelSpec = { cell: 'lstm', nonlinearity: 'tanh', inputSize: 2, hiddenSize: 8, numLayers: 1, bidirectional: false, outputSize: 1, initialState: 'zero' };
    const rng = new Rng(42);
    const model = initModel(spec, { scheme: 'pytorch' }, rng);
    const B = 4;
    const T = 10;
    const x = new Float64Array(T * B * 2).map(() => rng.uniform()); // (T, B, D)
    const target = new Float64Array(B).map(() => rng.uniform()); // (B, Y)
    const batch: Batch = { B, T, inputSize: 2, x, target };
    const r = lossAndGradients(model, batch, { loss: 'mse', readout: 'final_step', truncation: null });
    return { description: describeSpec(spec), loss: r.loss, gradNorm: r.gradNorm };
  }, []);
}

export function App() {
  const check = useEngineCheck();
  return (
    <main className="placeholder">
      <h1>RNN Playground</h1>
      <p>A recurrent network that trains live in your browser and shows why it learns or fails. The panels are on their way.</p>
      <p data-testid="engine-check">
        Engine check, {check.description}: loss = {check.loss.toFixed(6)}, ‖∇L‖ = {check.gradNorm.toFixed(6)}
      </p>
    </main>
  );
}
