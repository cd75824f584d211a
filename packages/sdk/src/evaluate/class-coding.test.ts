import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { encodeLabels } from '../metrics/labels.ts';
import { codeClasses, compareClassLabels, positiveClass } from './class-coding.ts';

const at = { modelPath: 'm.onnx', dataPath: 'd.csv', targetName: 'y' };

describe('class coding', () => {
  it('orders labels as numpy.unique: numbers numerically, strings by code point', () => {
    // np.unique([10, 2, -1]) = [-1, 2, 10]; np.unique(['2', '10', '1']) = ['1', '10', '2']; 'B' < 'a'.
    expect([10, 2, -1].sort(compareClassLabels)).toEqual([-1, 2, 10]);
    expect(['2', '10', '1'].sort(compareClassLabels)).toEqual(['1', '10', '2']);
    expect(['a', 'B', 'é', 'b'].sort(compareClassLabels)).toEqual(['B', 'a', 'b', 'é']);
  });

  it('codes every label by its rank; the probability columns by the model\'s classes', () => {
    const c = codeClasses({ target: ['yes', 'yes'], predicted: ['no', 'yes'], argmax: false, modelClasses: ['no', 'yes'], ...at });
    expect(c.names).toEqual(['no', 'yes']);
    expect([...c.yTrue]).toEqual([1, 1]);
    expect([...c.yPred]).toEqual([0, 1]);
    expect(c.columns).toEqual([0, 1]);
    expect(positiveClass(c, undefined, 'm.onnx')).toEqual({ label: 'yes', code: 1 });
    expect(positiveClass(c, 'no', 'm.onnx')).toEqual({ label: 'no', code: 0 });
    expect(() => positiveClass(c, 'No', 'm.onnx')).toThrow(InputError);
  });

  it('string classes read the target as text; integer classes refuse a text target', () => {
    const c = codeClasses({ target: ['10', '2', '1'], predicted: ['1', '1', '10'], argmax: false, modelClasses: ['1', '10', '2'], ...at });
    expect(c.names).toEqual(['1', '10', '2']);
    expect([...c.yTrue]).toEqual([1, 2, 0]);
    expect(() => codeClasses({ target: ['gold'], predicted: [0n], argmax: false, modelClasses: [0, 1, 2], ...at })).toThrow(/holds text .*numbers \{0, 1, 2\}/);
  });

  it('index labels of a string-class model and argmax columns map to the classes', () => {
    const c = codeClasses({ target: ['gold', 'bronze'], predicted: [1n, 0n], argmax: false, modelClasses: ['bronze', 'gold', 'silver'], ...at });
    expect([...c.yPred]).toEqual([1, 0]);
    const a = codeClasses({ target: [2, 0], predicted: [2, 1], argmax: true, modelClasses: [0, 1, 2], ...at });
    expect([...a.yPred]).toEqual([2, 1]);
  });

  it('int64 label outputs (BigInt64Array) and small and large ids code alike: the table and the Map agree', () => {
    // 0 and 7 go through the table of ids 0–255, -1, 300 and 2^40 through the Map; -0 is 0 (SameValueZero).
    const classes = [-1, 0, 7, 300, 2 ** 40];
    const target = Float64Array.from([300, 0, 7, -1, 2 ** 40, -0, 7, 300]);
    const predicted = BigInt64Array.from([300n, 7n, 7n, 0n, -1n, 0n, 2n ** 40n, 300n]);
    const c = codeClasses({ target, predicted, argmax: false, modelClasses: classes, ...at });
    expect(c.names).toEqual(classes);
    expect([...c.yTrue]).toEqual([3, 1, 2, 0, 4, 1, 2, 3]);
    expect([...c.yPred]).toEqual([3, 2, 2, 1, 0, 1, 4, 3]);
    // The same labels as plain numbers give the same codes.
    const n = codeClasses({ target, predicted: Array.from(predicted, Number), argmax: false, modelClasses: classes, ...at });
    expect([...n.yPred]).toEqual([...c.yPred]);
    expect(() => codeClasses({ target: Float64Array.from([0, 1.5]), predicted: BigInt64Array.from([0n, 1n]), argmax: false, modelClasses: [0, 1], ...at })).toThrow(/target has 1\.5 in data row 2/);
  });

  it('unknown target labels: all unknown is an error, some are returned', () => {
    expect(() => codeClasses({ target: ['No', 'Yes'], predicted: ['no', 'yes'], argmax: false, modelClasses: ['no', 'yes'], ...at })).toThrow(/case only/);
    const c = codeClasses({ target: ['maybe', 'no'], predicted: ['no', 'no'], argmax: false, modelClasses: ['no', 'yes'], ...at });
    expect(c.unknown).toEqual(['maybe']);
    expect(c.names).toEqual(['maybe', 'no', 'yes']);
  });

  it("gives encodeLabels(yTrue, yPred) with the codes — model classes never seen, unknown labels, text, large ids — and counts the labels seen", () => {
    const cases = [
      codeClasses({ target: ['maybe', 'no', 'no'], predicted: ['no', 'no', 'no'], argmax: false, modelClasses: ['no', 'yes', 'zz'], ...at }),
      codeClasses({ target: Float64Array.from([300, 0, 7, 2 ** 40, 7]), predicted: BigInt64Array.from([7n, 7n, 0n, 300n, 7n]), argmax: false, modelClasses: [-1, 0, 7, 300, 2 ** 40, 9], ...at }),
      codeClasses({ target: Float64Array.from([2, 0, 2, 1]), predicted: Float64Array.from([2, 2, 0, 0]), argmax: true, modelClasses: [5, 3, 1], ...at }),
    ];
    for (const c of cases) expect(c.encoded).toEqual(encodeLabels(c.yTrue, c.yPred));
    expect(cases.map((c) => [c.observed, c.encoded.labels])).toEqual([[2, [0, 1]], [4, [1, 2, 4, 5]], [4, [0, 1, 2, 4]]]);
  });
});
