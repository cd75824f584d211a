import { describe, expect, it } from 'vitest';
import type { ModelSignature, TensorSpec } from '../model/signature.ts';
import { codeClasses } from './class-coding.ts';
import { argmaxRows, detectTask, planOutputs, readPredictions } from './interpret.ts';

// Signatures as onnxruntime-node 1.30 reports them for the fixture models (test/fixtures/manifest.json).
const t = (name: string, type: string, shape: Array<number | string>): TensorSpec => ({ name, isTensor: true, type, shape });
const input = [t('float_input', 'float32', ['', 4])];
const sig = (outputs: TensorSpec[]): ModelSignature => ({ inputs: input, outputs });

describe('planOutputs', () => {
  it('reads an skl2onnx classifier: label + probabilities', () => {
    expect(planOutputs('m.onnx', sig([t('label', 'int64', ['']), t('probabilities', 'float32', ['', 3])]))).toMatchObject({
      kind: 'classifier', fetch: ['label', 'probabilities'], labelOutput: 'label', probabilityOutput: 'probabilities', notes: [],
    });
  });

  it('reads a ZipMap classifier from its tensor output only, with a note', () => {
    const plan = planOutputs('m.onnx', sig([t('output_label', 'int64', ['']), { name: 'output_probability', isTensor: false, type: '', shape: [] }]));
    expect(plan).toMatchObject({ kind: 'classifier', fetch: ['output_label'], labelOutput: 'output_label', probabilityOutput: undefined });
    expect(plan.notes[0]).toMatch(/output_probability.*ZipMap/);
  });

  it('reads a torch classifier without a label output: probabilities preferred over logits', () => {
    expect(planOutputs('m.onnx', sig([t('logits', 'float32', ['batch', 10]), t('probabilities', 'float32', ['batch', 10])]))).toMatchObject({
      kind: 'classifier', fetch: ['probabilities'], labelOutput: undefined, probabilityOutput: 'probabilities',
    });
  });

  it('reads a regressor from its [N, 1] output', () => {
    expect(planOutputs('m.onnx', sig([t('variable', 'float32', ['', 1])]))).toMatchObject({ kind: 'regressor', fetch: ['variable'], valueOutput: 'variable' });
  });

  it('explains an output layout it cannot read', () => {
    expect(() => planOutputs('m.onnx', sig([t('embedding', 'float32', ['', 3, 8])]))).toThrow(/cannot tell what the model predicts.*embedding: float32\[\?, 3, 8\]/);
  });
});

describe('argmaxRows', () => {
  it('takes the first maximum on ties, as numpy.argmax', () => {
    expect(Array.from(argmaxRows(Float64Array.from([0.2, 0.5, 0.5, 0.9, 0.05, 0.05, 1 / 3, 1 / 3, 1 / 3]), 3, 3))).toEqual([1, 0, 0]);
  });
});

describe('readPredictions and detectTask', () => {
  const plan = planOutputs('m.onnx', sig([t('label', 'int64', ['']), t('probabilities', 'float32', ['', 2])]));
  const outputs = {
    label: { type: 'int64', dims: [3], data: BigInt64Array.from([0n, 1n, 1n]) },
    probabilities: { type: 'float32', dims: [3, 2], data: Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.4, 0.6]) },
  };

  it('converts int64 labels and float32 probabilities to float64', () => {
    const p = readPredictions(plan, outputs, 3);
    expect(p.kind).toBe('classifier');
    if (p.kind !== 'classifier') return;
    expect(Array.from(p.labels)).toEqual([0, 1, 1]);
    expect(p.prob![1]).toBe(Math.fround(0.1)); // the float32 value, widened exactly
    expect(p.k).toBe(2);
  });

  // |y_true ∪ y_pred| and the integer check come from the class coding, as evaluate runs them.
  const labelCount = (target: number[], predicted: bigint[]) => codeClasses({ target: Float64Array.from(target), predicted: BigInt64Array.from(predicted), argmax: false, modelPath: 'm.onnx', dataPath: 'd.csv', targetName: 'y' }).observed;

  it('detects binary from two probability columns and refuses a non-integer target for a classifier', () => {
    const p = readPredictions(plan, outputs, 3);
    expect(detectTask('auto', plan, p, labelCount([0, 1, 0], [0n, 1n, 1n]), 'm.onnx')).toBe('binary');
    expect(() => labelCount([0, 1.5, 0], [0n, 1n, 1n])).toThrow(/target has 1\.5 in data row 2/);
  });

  it('without probabilities, counts the labels of y_true ∪ y_pred as a Set does: 2 → binary, a third in either → multiclass', () => {
    const labelOnly = planOutputs('m.onnx', sig([t('label', 'int64', [''])]));
    const read = (labels: bigint[]) => readPredictions(labelOnly, { label: { type: 'int64', dims: [labels.length], data: BigInt64Array.from(labels) } }, labels.length);
    const task = (requested: 'auto' | 'binary', predicted: bigint[], target: number[]) => detectTask(requested, labelOnly, read(predicted), labelCount(target, predicted), 'm.onnx');
    expect(task('auto', [0n, 0n, 0n, 0n], [0, 1, 0, 1])).toBe('binary');
    expect(task('auto', [0n, 0n, 0n, 0n], [-0, 0, 0, 0])).toBe('binary');
    expect(task('auto', [5n, 5n, 7n, 5n], [5, 5, 5, 5])).toBe('binary');
    expect(task('auto', [0n, 1n, 0n, 2n], [0, 1, 0, 1])).toBe('multiclass');
    expect(task('auto', [0n, 0n, 0n, 0n], [0, 1, 2, 1])).toBe('multiclass');
    expect(() => task('binary', [0n, 1n, 3n, 0n], [0, 1, 0, 1])).toThrow(/more than 2 classes/);
  });

  it('reads scores that are not probabilities as scores, with the reason', () => {
    const p = readPredictions(plan, { ...outputs, probabilities: { type: 'float32', dims: [3, 2], data: Float32Array.from([2, -1, 0.2, 3, 1, 1]) } }, 3);
    expect(p.kind === 'classifier' && p.prob).toBeFalsy();
    expect(p.kind === 'classifier' && p.noProbabilityReason).toMatch(/not a probability distribution \(row 0/);
  });
});
