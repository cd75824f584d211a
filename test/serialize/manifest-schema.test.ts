import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, parseManifest, serialize, type PackageManifest } from '@mlship/sdk';
import { runPythonJson } from '../harness/python.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

// docs/package-manifest.schema.json checked with the Python `jsonschema` package (Draft 2020-12,
// python/validate_manifest.py) against manifests mlship writes, and against broken ones that
// mlship's own parser refuses: the published schema and the reader agree.
const FIX = join(REPO_ROOT, 'test', 'fixtures');
const SCHEMA = join(REPO_ROOT, 'docs', 'package-manifest.schema.json');
let work: string;
const written: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-schema-'));
  for (const [model, data] of [['iris_rf', 'iris'], ['iris_rf_zipmap', 'iris'], ['diabetes_gbr', 'diabetes'], ['digits_mlp', 'digits']] as const) {
    const r = await serialize({
      model: join(FIX, 'models', `${model}.onnx`), format: 'onnx', out: join(work, model), name: model.replace(/_/g, '-'), version: '1.0.0',
      featuresFrom: join(FIX, 'datasets', data, 'train.csv'), sample: join(FIX, 'datasets', data, 'test.csv'), goldenRows: 2,
    });
    written.push(join(r.dir, MANIFEST_FILE));
  }
});
afterAll(async () => { if (work) await rm(work, { recursive: true, force: true }); });

describe('docs/package-manifest.schema.json', () => {
  it('accepts every manifest mlship writes', () => {
    const errors = runPythonJson<Record<string, string[]>>('validate_manifest.py', [SCHEMA, ...written]);
    for (const path of written) expect(errors[path], path).toEqual([]);
  });

  it('accepts monitoring profiles with categories and free-text columns (version 2), as parseManifest does', async () => {
    const m = JSON.parse(await readFile(written[0]!, 'utf8')) as Record<string, any>;
    m.monitoring.features.push({ name: 'city', categories: ['lille', 'lyon'] }, { name: 'note', freeText: true });
    const path = join(work, 'categories.json');
    await writeFile(path, JSON.stringify(m));
    expect(parseManifest(JSON.stringify(m), path).monitoring!.features).toHaveLength(6);
    expect(runPythonJson<Record<string, string[]>>('validate_manifest.py', [SCHEMA, path])[path]).toEqual([]);
  });

  it('rejects what parseManifest rejects', async () => {
    const base = JSON.parse(await readFile(written[0]!, 'utf8')) as PackageManifest;
    const broken: Array<[string, (m: Record<string, unknown>) => void]> = [
      ['name', (m) => { m.name = 'Iris RF'; }],
      ['schema', (m) => { m.schemaVersion = 3; }],
      ['inputs', (m) => { delete m.inputs; }],
      ['static batch', (m) => { m.staticBatch = 0; }],
      ['traversal', (m) => { (m.files as Array<{ path: string }>)[0]!.path = '../model.onnx'; }],
      ['sha', (m) => { (m.files as Array<{ sha256: string }>)[0]!.sha256 = 'abc'; }],
      ['task', (m) => { m.task = 'ranking'; }],
      ['missing', (m) => { delete m.provenance; }],
      ['role', (m) => { (m.outputRoles as Record<string, string>).logits = 'label'; }],
      ['categories', (m) => { (m.monitoring as { features: unknown[] }).features.push({ name: 'city', categories: [1] }); }],
    ];
    const paths: string[] = [];
    for (const [name, edit] of broken) {
      const m = structuredClone(base) as unknown as Record<string, unknown>;
      edit(m);
      const path = join(work, `${name}.json`);
      await writeFile(path, JSON.stringify(m));
      paths.push(path);
      expect(() => parseManifest(JSON.stringify(m), path), name).toThrow();
    }
    const errors = runPythonJson<Record<string, string[]>>('validate_manifest.py', [SCHEMA, ...paths]);
    for (const path of paths) expect(errors[path]!.length, path).toBeGreaterThan(0);
  });
});
