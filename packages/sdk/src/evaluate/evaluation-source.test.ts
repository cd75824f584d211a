import { describe, expect, it } from 'vitest';
import { messageFor, actionInputName } from '../errors.ts';
import { evaluationSource } from './late-labels.ts';

// The one check of which evaluation the CLI's flags and the action's inputs ask for.
describe('evaluationSource', () => {
  it('model + data, or predictions + labels', () => {
    expect(evaluationSource({ model: 'm.onnx', data: 'd.csv' })).toBe('model');
    expect(evaluationSource({ predictions: 'log.csv', labels: 'l.csv' })).toBe('late-labels');
  });

  it('a half-given pair, both pairs or nothing: an error naming the options in the caller\'s words', () => {
    expect(() => evaluationSource({ predictions: 'log.csv' })).toThrow('--predictions and --labels go together');
    expect(() => evaluationSource({ model: 'm.onnx' })).toThrow('--model and --data are required');
    expect(() => evaluationSource({})).toThrow('--model and --data are required');
    let err: unknown;
    try { evaluationSource({ model: 'm.onnx', data: 'd.csv', predictions: 'log.csv', labels: 'l.csv' }); } catch (e) { err = e; }
    expect((err as Error).message).toBe('--predictions/--labels score logged predictions; do not combine them with --model/--data.');
    expect(messageFor(err, actionInputName)).toBe('input "predictions"/input "labels" score logged predictions; do not combine them with input "model"/input "data".');
  });
});
