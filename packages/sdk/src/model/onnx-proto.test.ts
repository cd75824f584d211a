import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../test/harness/run-action.ts';
import { runPythonJson } from '../../../../test/harness/python.ts';
import { parseOnnxModelInfo, readOnnxModelInfo } from './onnx-proto.ts';

const modelsDir = join(REPO_ROOT, 'test', 'fixtures', 'models');
const models = readdirSync(modelsDir).filter((f) => f.endsWith('.onnx')).sort();

describe('readOnnxModelInfo', () => {
  // Expected values: python/onnx_info.py, i.e. onnx.load() from the `onnx` package (.venv).
  const reference = runPythonJson<Record<string, unknown>>('onnx_info.py', models.map((m) => join(modelsDir, m)));

  it('covers all 7 fixture models', () => {
    expect(models).toHaveLength(7);
  });

  for (const model of models) {
    it(`matches python onnx on ${model}`, async () => {
      const info = await readOnnxModelInfo(join(modelsDir, model));
      expect(info).toEqual(reference[join(modelsDir, model)]);
    });
  }

  it('refuses bytes that are not protobuf, naming the source', () => {
    expect(() => parseOnnxModelInfo(new TextEncoder().encode('not a model at all'), 'bad.onnx')).toThrow(/bad\.onnx is not an ONNX model/);
    expect(() => parseOnnxModelInfo(new Uint8Array([0x08, 0x96]), 'trunc.onnx')).toThrow(/trunc\.onnx/);
  });
});
