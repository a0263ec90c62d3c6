/** Model files: a round trip keeps every bit, and each kind of bad file is refused by name. */
import { describe, expect, it } from 'vitest';
import { initModel } from '../src/engine/init';
import type { ModelSpec } from '../src/engine/model';
import { loadModel, ModelFileError, saveModel } from '../src/engine/modelFile';
import { Rng } from '../src/engine/rng';
import { caseFiles, readJson } from './helpers';

const SPEC: ModelSpec = { cell: 'lstm', nonlinearity: 'tanh', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2, initialState: 'learned' };

function goodFile() {
  return JSON.parse(JSON.stringify(saveModel(initModel(SPEC, { scheme: 'orthogonal' }, new Rng(1)))));
}

function refusal(input: unknown): string {
  try {
    loadModel(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as Error).message;
  }
  throw new Error('the bad file was accepted');
}

describe('model file round trip', () => {
  it('save → JSON text → load gives the same spec and bit-identical weights', () => {
    const model = initModel(SPEC, { scheme: 'gaussian', gain: 0.9, forgetBias: 1 }, new Rng(9));
    const back = loadModel(JSON.stringify(saveModel(model)));
    expect(back.spec).toEqual(model.spec);
    expect(Object.keys(back.params)).toEqual(Object.keys(model.params));
    for (const [name, t] of Object.entries(model.params)) {
      expect(back.params[name].shape).toEqual(t.shape);
      expect(Array.from(back.params[name].data)).toEqual(Array.from(t.data));
    }
  });

  it.each(caseFiles())('loads the PyTorch state_dict of %s and saves it back unchanged', (file) => {
    const { model } = readJson(file);
    expect(saveModel(loadModel(model))).toEqual({ ...model, nonlinearity: model.nonlinearity });
  });

  it('uses PyTorch names, shapes and gate-major layouts', () => {
    const sd = goodFile().stateDict;
    expect(Object.keys(sd)).toContain('weight_hh_l1_reverse');
    expect(sd['weight_ih_l1'].length).toBe(4 * 4); // 4 gates × H rows
    expect(sd['weight_ih_l1'][0].length).toBe(8); // layer 1 takes H · 2 directions
    expect(sd['readout.weight'].length).toBe(2);
    expect(sd['h0_l0_reverse'].length).toBe(4);
  });
});

describe('bad model files are refused whole, with the problem named', () => {
  it('not JSON', () => expect(refusal('{"format": ')).toMatch(/not valid JSON/));
  it('not an object', () => expect(refusal('[1, 2]')).toMatch(/JSON object/));
  it('wrong format tag', () => expect(refusal({ ...goodFile(), format: 'rnn-playground/model@2' })).toMatch(/"format" must be "rnn-playground\/model@1"/));
  it('unknown cell', () => expect(refusal({ ...goodFile(), cell: 'transformer' })).toMatch(/"cell" must be one of/));
  it('size out of range', () => expect(refusal({ ...goodFile(), hiddenSize: 1e9 })).toMatch(/"hiddenSize" must be a whole number from 1 to 512/));
  it('missing stateDict', () => {
    const f = goodFile();
    delete f.stateDict;
    expect(refusal(f)).toMatch(/"stateDict" must be an object/);
  });
  it('missing keys', () => {
    const f = goodFile();
    delete f.stateDict['bias_hh_l1'];
    delete f.stateDict['readout.bias'];
    expect(refusal(f)).toMatch(/missing "bias_hh_l1", "readout.bias"/);
  });
  it('extra keys', () => {
    const f = goodFile();
    f.stateDict['weight_hh_l2'] = [[0]];
    expect(refusal(f)).toMatch(/unexpected "weight_hh_l2"/);
  });
  it('wrong shape (rows)', () => {
    const f = goodFile();
    f.stateDict['weight_hh_l0'].pop();
    expect(refusal(f)).toMatch(/"weight_hh_l0" must have shape \[16, 4\]; found 15 entries where 16 belong/);
  });
  it('wrong shape (a short row)', () => {
    const f = goodFile();
    f.stateDict['weight_ih_l0'][3] = [1, 2];
    expect(refusal(f)).toMatch(/"weight_ih_l0" must have shape \[16, 3\]; at \[3\] found 2 entries/);
  });
  it('NaN written as a string, null, or an overflowing literal', () => {
    const f = goodFile();
    f.stateDict['bias_ih_l0'][2] = 'NaN';
    expect(refusal(f)).toMatch(/"bias_ih_l0"\[2\] must be a finite number; got "NaN"/);
    f.stateDict['bias_ih_l0'][2] = null;
    expect(refusal(f)).toMatch(/"bias_ih_l0"\[2\] must be a finite number; got null/);
    const text = JSON.stringify(goodFile()).replace(/("readout.bias":\[)[^,\]]+/, '$11e999');
    expect(refusal(text)).toMatch(/"readout.bias"\[0\] must be a finite number/);
  });
  it('a header that does not fit its weights', () => {
    expect(refusal({ ...goodFile(), bidirectional: false })).toMatch(/does not fit a 2-layer LSTM .*unexpected "weight_ih_l0_reverse"/);
  });
});
