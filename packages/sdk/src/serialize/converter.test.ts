import { describe, expect, it } from 'vitest';
import { converterArgs, explainConverterFailure } from './converter.ts';
import { inferOutputRoles } from '../model/output-roles.ts';

describe('converter wrapper (pure parts)', () => {
  it('builds the argument list', () => {
    expect(converterArgs({
      python: 'python3', input: 'm.pt', format: 'torch', schemaJson: 'schema.json', sampleJson: 's.json', outModel: 'o.onnx', outReport: 'r.json',
      targetOpset: 13, outputNames: ['logits', 'probabilities'], imports: ['pkg.net'], pythonPath: ['src'],
    }, 'conv.py')).toEqual(['conv.py', '--input', 'm.pt', '--kind', 'torch', '--schema', 'schema.json', '--sample', 's.json', '--out-model', 'o.onnx',
      '--report', 'r.json', '--target-opset', '13', '--output-names', 'logits,probabilities', '--import', 'pkg.net', '--python-path', 'src']);
  });

  it('explains a missing package with the pip line for the format', () => {
    expect(explainConverterFailure({ ok: false, error: 'missing-package', message: 'the Python package torch is not installed (No module named torch)' }, { input: 'm.pt', format: 'torch', python: 'python3' }))
      .toBe('Converting m.pt (torch) to ONNX failed: the Python package torch is not installed (No module named torch)\nThe workflow\'s Python (python3) needs: pip install torch onnx numpy');
  });
});

describe('inferOutputRoles', () => {
  const t = (name: string, type: string, shape: Array<number | string>) => ({ name, isTensor: true, type, shape });
  it('skl2onnx classifier, regressor, torch logits+probabilities, ZipMap', () => {
    expect(inferOutputRoles([t('label', 'int64', ['']), t('probabilities', 'float32', ['', 3])])).toMatchObject({ task: 'classification', roles: { label: 'label', probabilities: 'probabilities' }, classCount: 3 });
    expect(inferOutputRoles([t('variable', 'float32', ['', 1])])).toMatchObject({ task: 'regression', roles: { value: 'variable' } });
    expect(inferOutputRoles([t('logits', 'float32', ['batch', 10]), t('probabilities', 'float32', ['batch', 10])])).toMatchObject({ task: 'classification', roles: { probabilities: 'probabilities', scores: 'logits' } });
    const zip = inferOutputRoles([t('output_label', 'int64', ['']), { name: 'output_probability', isTensor: false, type: '', shape: [] }]);
    expect(zip.roles).toEqual({ label: 'output_label' });
    expect(zip.warnings[0]).toMatch(/ZipMap.*zipmap': False/);
    expect(inferOutputRoles([t('output', 'float32', ['batch', 5])], { task: 'classification' })).toMatchObject({ roles: { scores: 'output' } });
  });
});
