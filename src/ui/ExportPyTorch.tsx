/**
 * Export → PyTorch script: the run as a self-contained Python file (src/export/pytorch), from the
 * start (the seed's weights) or from the current weights (read back from the worker, with the
 * step they are from, so the script's data goes on from there). It downloads experiment.py.
 */
import { useState } from 'react';
import { modelOf, type AnyModel } from '../engine/anyModel';
import { makeTask, type CharLmTask } from '../engine/tasks';
import { pytorchScript } from '../export/pytorch';
import { usePlaygroundRun } from '../store/controller';
import { addNotice, usePlayground } from '../store/store';
import { encodeUrl } from '../store/urlState';
import { unpackParams } from '../worker/protocol';

/** The shipped corpus, as the worker loads it: the character model's default text. */
async function shippedText(): Promise<string> {
  const res = await fetch(`${import.meta.env.BASE_URL}text/kjv-genesis.txt`);
  if (!res.ok) throw new Error(`the text corpus could not be loaded (${res.status})`);
  return res.text();
}

/** The script of the current run, from its start or from the weights it has now. */
async function scriptOfRun(fromCurrent: boolean): Promise<string> {
  const { config, task } = usePlayground.getState();
  let text = '';
  if (config.task === 'char_lm') {
    text = await shippedText();
    // The page does not keep a pasted text once the worker took it: export only the shipped one.
    const shipped = (makeTask({ kind: 'char_lm', text, T: config.length }) as CharLmTask).vocab;
    if (task?.vocab && task.vocab.join('') !== shipped.join('')) throw new Error('this run trains on your own text, which the page does not keep; the export writes the shipped corpus only');
  }
  let from: { model: AnyModel; step: number } | undefined;
  if (fromCurrent) {
    const run = usePlaygroundRun.getState().run;
    if (!run) throw new Error('the run has not started');
    const { step, weights } = await run.readWeights();
    from = { model: modelOf(weights.spec, unpackParams(weights.spec, weights.params)), step };
  }
  const query = encodeUrl({ ...config, backend: 'auto' }).replace(/^\?/, '');
  return pytorchScript({ config, query, text, model: from?.model, fromStep: from?.step });
}

async function download(fromCurrent: boolean): Promise<void> {
  let script: string;
  try {
    script = await scriptOfRun(fromCurrent);
  } catch (e) {
    addNotice('error', 'export', `The PyTorch script could not be made: ${e instanceof Error ? e.message : String(e)}.`);
    return;
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([script], { type: 'text/x-python' }));
  a.download = 'experiment.py';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The menu beside Save model. */
export function ExportPyTorchMenu() {
  const [open, setOpen] = useState(false);
  const choose = (fromCurrent: boolean) => {
    setOpen(false);
    void download(fromCurrent);
  };
  return (
    <details className="menu" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="export-pytorch">
      <summary>Export → PyTorch script</summary>
      {/* opens rightwards from the button: on a phone the button sits at the left edge */}
      <div className="menu-body" style={{ left: 0, right: 'auto', width: 'min(18rem, 90vw)' }}>
        <p>This run as a Python file (torch only) that trains the same model on the same data.</p>
        <button type="button" onClick={() => choose(false)} data-testid="export-pytorch-start">
          From the start
        </button>
        <button type="button" onClick={() => choose(true)} data-testid="export-pytorch-current">
          From the current weights
        </button>
      </div>
    </details>
  );
}
