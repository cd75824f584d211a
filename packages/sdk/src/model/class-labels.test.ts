import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { classOfColumn, classOfLabelValue, isIndexLabels, reconcileClassLabels } from './class-labels.ts';

const native = { declaredBy: "the native model's classes_", modelPath: 'm.onnx', mayNameIndices: false };
const user = { declaredBy: '--class-labels', modelPath: 'm.onnx', mayNameIndices: true };

describe('reconcileClassLabels', () => {
  it('the ONNX labels win; an agreeing source changes nothing', () => {
    expect(reconcileClassLabels([1, 3, 7], undefined, native)).toEqual([1, 3, 7]);
    expect(reconcileClassLabels([1, 3, 7], [1, 3, 7], native)).toEqual([1, 3, 7]);
    expect(reconcileClassLabels(null, ['a', 'b'], user)).toEqual(['a', 'b']);
    expect(reconcileClassLabels(null, undefined, user)).toBeUndefined();
  });

  it('names may replace index labels 0…K−1 of the same count, only when allowed', () => {
    expect(reconcileClassLabels([0, 1, 2], ['setosa', 'versicolor', 'virginica'], user)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(() => reconcileClassLabels([0, 1, 2], ['a', 'b', 'c'], native)).toThrow(InputError);
    expect(() => reconcileClassLabels([0, 1], ['a', 'b', 'c'], user)).toThrow(/says the classes are \["a", "b", "c"\], but m\.onnx labels its probability columns \[0, 1\]/);
  });

  it('refuses the silent-wrong-label case: [0, 1, 2] declared for a model of {1, 3, 7}; "1" is not 1', () => {
    expect(() => reconcileClassLabels([1, 3, 7], [0, 1, 2], user)).toThrow(/--class-labels says the classes are \[0, 1, 2\], but m\.onnx labels its probability columns \[1, 3, 7\].*give exactly \[1, 3, 7\]/);
    expect(() => reconcileClassLabels([-1, 1], ['-1', '1'], native)).toThrow(/convert again from the same model/);
  });

  it('isIndexLabels', () => {
    expect(isIndexLabels([0, 1, 2])).toBe(true);
    expect(isIndexLabels([1, 2])).toBe(false);
    expect(isIndexLabels(['0', '1'])).toBe(false);
  });
});

describe('classOfLabelValue / classOfColumn (the server, batch scoring and the monitoring profile map classes with these)', () => {
  it('a string label output is the class; a number among numeric labels is the class; else an index into the labels', () => {
    expect(classOfLabelValue('setosa', ['setosa', 'virginica'])).toBe('setosa');
    expect(classOfLabelValue(7, [1, 3, 7])).toBe(7); // skl2onnx writes classes_ itself: 7, not index 7
    expect(classOfLabelValue(1n, ['no', 'yes'])).toBe('yes'); // int64 label output over string classes
    expect(classOfLabelValue(2, undefined)).toBe(2);
    expect(classOfLabelValue(5, ['a', 'b'])).toBe(5); // out of range: the number as it is
  });

  it('probability column i is classLabels[i], or i without labels', () => {
    expect(classOfColumn(1, ['cat', 'dog'])).toBe('dog');
    expect(classOfColumn(1, undefined)).toBe(1);
  });
});
