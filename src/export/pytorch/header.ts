/** The script's opening: what it is, how to run it, what it reproduces, and its imports. */
import { dedent } from './python';

export interface HeaderFacts {
  /** the playground's link query of the run */
  query: string;
  /** "2-layer LSTM (input 4, hidden 24, output 4)" */
  model: string;
  task: string;
  /** 0: the run's start; n: the page's weights after n updates */
  fromStep: number;
  stream: boolean;
  /** the script decompresses an embedded corpus */
  zlib: boolean;
  /** an RNN stack (torch.nn.RNN/LSTM/GRU, cuDNN's kernels on a GPU), not successor blocks */
  rnn: boolean;
}

export function headerSection(f: HeaderFacts): string {
  const start =
    f.fromStep === 0
      ? 'It starts where the page starts: the seed\'s initial weights, the seed\'s first batch.'
      : `It starts from the page's weights after ${f.fromStep} updates, on the batches that come next
      (the data generator skips the first ${f.fromStep}). The optimizer's state (momentum, Adam's moments,
      its step count) starts afresh, as it does after the page's Load${f.stream ? ", and the stream's state starts from zero" : ''}.`;
  return dedent(String.raw`
    #!/usr/bin/env python3
    """An RNN Playground experiment as a PyTorch script.

    Task:  ${f.task}
    Model: ${f.model}
    Link:  ?${f.query}

    Run it:
        python3 experiment.py                    # train 100 steps, print the loss after each
        python3 experiment.py --steps 2000 --json > losses.json
        python3 experiment.py --save model.json  # the trained model; the page's "Load model" reads it

    Flags: --steps N, --dtype float32|float64 (default float32), --device cpu|cuda, --json
    (prints {"losses": [...]}), --save FILE (the playground's model file).

    What it reproduces: the playground's run for this link -- the same model under the same
    state_dict names, the same initial weights (embedded at the end), the same task data (the
    playground's seeded generator and task generator, ported below), the same loss, optimizer,
    clipping and truncation. With --dtype float64 its losses are the playground's float64
    reference engine's (npm run train -- 'QUERY' --backend reference --json) to rounding
    (about 1e-15 apart; the playground's tests hold them to 1e-9 for 20 steps).
    ${start}

    Scaling up: --device cuda runs the same experiment on a GPU; raise the hidden size, layers or
    batch size in the constants below (fresh weights: drop the load_state_dict line) and it trains
    there${f.rnn ? " with cuDNN's fused recurrent kernels where the run uses full BPTT" : ', each step of the loops over t one batched operation on the device'}.

    Only torch and the Python standard library are needed.
    """
    import argparse
    import array
    import base64
    import collections
    import json
    import math
    import sys${f.zlib ? '\n    import zlib' : ''}

    import torch
    import torch.nn as nn
    import torch.nn.functional as F
  `);
}
