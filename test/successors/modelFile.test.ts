/** Successor model files: every kind round-trips bit for bit, and each kind of bad file is refused whole. */
import { describe, expect, it } from 'vitest';
import { loadAnyModel, loadModel, ModelFileError, saveAnyModel, saveSuccessorModel, stateDictOf } from '../../src/engine/modelFile';
import { Rng } from '../../src/engine/rng';
import { initSuccessorModel } from '../../src/engine/successors/init';
import { SUCCESSOR_KINDS, type SuccessorModel } from '../../src/engine/successors/spec';
import { caseFiles, readJson } from '../helpers';
import { successorCaseFiles, successorSpec } from './helpers';

function refusal(input: unknown, load: (input: unknown) => unknown = loadAnyModel): string {
  try {
    load(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as Error).message;
  }
  throw new Error('the bad file was accepted');
}

const file = (cell: (typeof SUCCESSOR_KINDS)[number]) => JSON.parse(JSON.stringify(saveSuccessorModel(initSuccessorModel(successorSpec(cell, { numLayers: 2 }), new Rng(1)))));

describe('successor model files round trip', () => {
  it.each(SUCCESSOR_KINDS)('%s: save → JSON text → load keeps the spec and every bit', (cell) => {
    const model = initSuccessorModel(successorSpec(cell, { numLayers: 2 }), new Rng(5));
    const back = loadAnyModel(JSON.stringify(saveAnyModel(model))) as SuccessorModel;
    expect(back.spec).toEqual(model.spec);
    // nested arrays in state_dict order: names, order, shapes and values (compared by Object.is)
    expect(Object.entries(stateDictOf(back.params))).toEqual(Object.entries(stateDictOf(model.params)));
  });

  it.each(successorCaseFiles())('loads the PyTorch state_dict of %s and saves it back unchanged', (path) => {
    const { model } = readJson(path);
    expect(saveAnyModel(loadAnyModel(model))).toEqual(model);
  });

  it.each(caseFiles().slice(0, 3))('still reads the RNN files: %s', (path) => {
    const { model } = readJson(path);
    expect(saveAnyModel(loadAnyModel(model))).toEqual(saveAnyModel(loadModel(model)));
  });

  it('names layers as the reference README does', () => {
    const sd = file('mamba').stateDict;
    expect(Object.keys(sd).slice(0, 10)).toEqual([
      'layers.0.in_proj.weight', 'layers.0.in_proj.bias', 'layers.0.gate_proj.weight', 'layers.0.gate_proj.bias',
      'layers.0.mixer.A_log', 'layers.0.mixer.D', 'layers.0.mixer.dt_proj.weight', 'layers.0.mixer.dt_proj.bias',
      'layers.0.mixer.B_proj.weight', 'layers.0.mixer.C_proj.weight',
    ]);
    expect(sd['layers.1.in_proj.weight'][0].length).toBe(4); // layer 1 reads the layer below's o_t (H)
    expect(sd['layers.0.mixer.B_proj.weight'].length).toBe(3); // (N, H)
  });
});

describe('bad successor files are refused whole, with the problem named', () => {
  it('a missing entry', () => {
    const f = file('lru');
    delete f.stateDict['layers.1.mixer.C_im'];
    expect(refusal(f)).toMatch(/does not fit a 2-layer LRU \(input 2, hidden 4, state 3, output 3\): missing "layers\.1\.mixer\.C_im"/);
  });
  it('an extra entry', () => {
    const f = file('rwkv');
    f.stateDict['layers.0.mixer.time_shift'] = [0, 0, 0, 0];
    expect(refusal(f)).toMatch(/unexpected "layers\.0\.mixer\.time_shift"/);
  });
  it('an entry of the wrong shape', () => {
    const f = file('mingru');
    f.stateDict['layers.0.mixer.z_proj.bias'] = [1, 2, 3];
    expect(refusal(f)).toMatch(/"layers\.0\.mixer\.z_proj\.bias" must have shape \[4\]; found 3 entries where 4 belong/);
  });
  it('a NaN weight', () => {
    const f = file('attention');
    f.stateDict['layers.0.mixer.q_proj.weight'][1][2] = 'NaN';
    expect(refusal(f)).toMatch(/"layers\.0\.mixer\.q_proj\.weight"\[1\]\[2\] must be a finite number/);
  });
  it('a stateSize that is missing, zero or not whole', () => {
    for (const bad of [undefined, 0, 2.5, -1, '3', 1e6]) expect(refusal({ ...file('mamba'), stateSize: bad })).toMatch(/"stateSize" must be a whole number from 1 to 1024/);
  });
  it('a stateSize on a kind without one', () => expect(refusal({ ...file('mingru'), stateSize: 3 })).toMatch(/"stateSize" belongs to lru and mamba models; a mingru model has none/));
  it('numHeads that does not divide hiddenSize', () => expect(refusal({ ...file('attention'), numHeads: 3 })).toMatch(/"numHeads" must divide "hiddenSize" \(4\); got 3/));
  it('numHeads missing or beyond hiddenSize', () => {
    expect(refusal({ ...file('attention'), numHeads: undefined })).toMatch(/"numHeads" must be a whole number from 1 to 4; got nothing/);
    expect(refusal({ ...file('attention'), numHeads: 8 })).toMatch(/"numHeads" must be a whole number from 1 to 4/);
  });
  it('numHeads on a kind without heads', () => expect(refusal({ ...file('lru'), numHeads: 2 })).toMatch(/"numHeads" belongs to attention models/));
  it('a bidirectional successor', () => expect(refusal({ ...file('rwkv'), bidirectional: true })).toMatch(/"bidirectional" must be false for a rwkv model/));
  it('an unknown cell names every kind', () => expect(refusal({ ...file('lru'), cell: 'transformer' })).toMatch(/"cell" must be one of "rnn", "lstm", "gru", "lru", "mamba", "rwkv", "mingru", "attention"; got "transformer"/));
  it('the RNN reader (what the playground loads) refuses a successor plainly', () =>
    expect(refusal(file('mamba'), loadModel)).toMatch(/"cell" must be one of "rnn", "lstm", "gru" here; got "mamba", a successor layer that only the float64 engine/));
  it('a size out of range, as for the RNN', () => expect(refusal({ ...file('lru'), hiddenSize: 1e9 })).toMatch(/"hiddenSize" must be a whole number from 1 to 512/));
});
