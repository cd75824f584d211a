import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPackage, readOnnxModelInfo, serialize, servedModelFrom } from '@mlship/sdk';
import { pythonBin, runPythonCodeJson } from '../harness/python.ts';
import { post, startServer } from '../server/helpers.ts';

// Issue 9, case 1 (silent wrong labels): skl2onnx's LinearClassifier / SVMClassifier keep their labels
// in `classlabels_ints`. Models are trained and exported here with the real scikit-learn + skl2onnx
// (zipmap off, as mlship serialize converts); the expected labels, classes and probabilities are the
// native model's predict(), classes_ and predict_proba() on the same test rows.
const TRAIN = String.raw`
import json, sys, joblib, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from skl2onnx import to_onnx
out = sys.argv[1]
rng = np.random.default_rng(0)
X = rng.normal(size=(90, 3)).astype(np.float32)
Xt = rng.normal(size=(12, 3)).astype(np.float32)
cases = {"logreg_137": ([1, 3, 7], LogisticRegression()), "logreg_pm1": ([-1, 1], LogisticRegression()),
         "logreg_str": (["cat", "bird"], LogisticRegression()), "svc_137": ([1, 3, 7], SVC(probability=True, random_state=0))}
ref = {}
for name, (labels, est) in cases.items():
    y = np.array([labels[i % len(labels)] for i in range(len(X))], dtype=object if isinstance(labels[0], str) else np.int64)
    X2 = X + (np.arange(len(X)) % len(labels))[:, None].astype(np.float32)  # separable-ish classes
    est.fit(X2, y)
    onx = to_onnx(est, X2[:1], options={id(est): {"zipmap": False}})
    with open(f"{out}/{name}.onnx", "wb") as f: f.write(onx.SerializeToString())
    joblib.dump(est, f"{out}/{name}.joblib")
    Xt2 = Xt + (np.arange(len(Xt)) % len(labels))[:, None].astype(np.float32)
    for part, data, target in (("train", X2, y), ("test", Xt2, est.predict(Xt2))):
        with open(f"{out}/{name}.{part}.csv", "w") as f:
            f.write("f0,f1,f2,target\n")
            for row, t in zip(data, target): f.write(",".join(repr(float(v)) for v in row) + f",{t}\n")
    ref[name] = {"classes": [c.item() if hasattr(c, "item") else c for c in est.classes_],
                 "labels": [c.item() if hasattr(c, "item") else c for c in est.predict(Xt2)],
                 "proba": est.predict_proba(Xt2).tolist(), "rows": Xt2.tolist()}
json.dump(ref, sys.stdout)
`;

interface Ref { classes: Array<number | string>; labels: Array<number | string>; proba: number[][]; rows: number[][] }
let work: string;
let ref: Record<string, Ref>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlship-labels-'));
  ref = runPythonCodeJson<Record<string, Ref>>(TRAIN, [work]);
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const NAMES = ['logreg_137', 'logreg_pm1', 'logreg_str', 'svc_137'];

describe('class labels are the model\'s own (skl2onnx LinearClassifier / SVMClassifier)', () => {
  it('the ONNX reader takes classlabels_ints (and _strings) in probability-column order', async () => {
    for (const name of NAMES) expect((await readOnnxModelInfo(join(work, `${name}.onnx`))).classLabels, name).toEqual(ref[name]!.classes);
    expect(ref.logreg_137!.classes).toEqual([1, 3, 7]);
    expect(ref.logreg_pm1!.classes).toEqual([-1, 1]);
    expect(ref.logreg_str!.classes).toEqual(['bird', 'cat']);
  });

  for (const name of NAMES) {
    it(`${name}: a bare .onnx served gives the native labels, its classes and probabilities in classes_ order via /predict`, async () => {
      const r = ref[name]!;
      const { server, url } = await startServer(await servedModelFrom(join(work, `${name}.onnx`)));
      try {
        const reply = await post(url, '/predict', { instances: r.rows });
        expect(reply.status).toBe(200);
        const preds = reply.json.predictions as Array<{ label: number | string; classes: Array<number | string>; probabilities: number[] }>;
        expect(preds.map((p) => p.label)).toEqual(r.labels);
        preds.forEach((p, i) => {
          expect(p.classes).toEqual(r.classes);
          p.probabilities.forEach((q, j) => expect(q).toBeCloseTo(r.proba[i]![j]!, 5));
        });
      } finally {
        await server.close();
      }
    });
  }

  it('serialize from ONNX records the model\'s labels; --class-labels that contradict them are refused', async () => {
    const s = await serialize({ model: join(work, 'logreg_137.onnx'), format: 'onnx', out: join(work, 'pkg137'), name: 'lr137', version: '1.0.0', featuresFrom: join(work, 'logreg_137.train.csv'), sample: join(work, 'logreg_137.test.csv') });
    expect(s.manifest.classLabels).toEqual([1, 3, 7]);
    await expect(serialize({ model: join(work, 'logreg_137.onnx'), format: 'onnx', out: join(work, 'bad'), name: 'lr137', version: '1.0.0', featuresFrom: join(work, 'logreg_137.train.csv'), classLabels: [0, 1, 2] }))
      .rejects.toThrow(/--class-labels says the classes are \[0, 1, 2\], but .*logreg_137\.onnx labels its probability columns \[1, 3, 7\]/);
    // Names for index labels are still allowed (a model trained on an encoded target): see test/server/helpers.ts' iris package.
  });

  it('a package whose manifest says other labels than the model (written before this fix) is refused at load', async () => {
    const dir = join(work, 'pkg137');
    const manifestPath = join(dir, 'mlship.json');
    const m = JSON.parse(await readFile(manifestPath, 'utf8'));
    m.classLabels = [0, 1, 2];
    await writeFile(manifestPath, JSON.stringify(m));
    await expect(loadPackage(dir)).rejects.toThrow(/classLabels says the classes are \[0, 1, 2\], but .* labels its probability columns \[1, 3, 7\].*write it again with mlship serialize/);
  });

  for (const name of ['logreg_pm1', 'logreg_str']) {
    it(`${name}: serialize from the native model records classes_ and they agree with the ONNX labels`, async () => {
      const s = await serialize({ model: join(work, `${name}.joblib`), format: 'sklearn', out: join(work, `native-${name}`), name: name.replace('_', '-'), version: '1.0.0', featuresFrom: join(work, `${name}.train.csv`), sample: join(work, `${name}.test.csv`), python: pythonBin() });
      expect(s.parity?.passed).toBe(true);
      expect(s.manifest.classLabels).toEqual(ref[name]!.classes);
    });
  }
});

describe('every zoo classifier: the ONNX labels are the native classes_', () => {
  it('readOnnxModelInfo(...).classLabels equals the zoo\'s classes (scikit-learn classes_, from Python)', async () => {
    const { loadZoo } = await import('../harness/zoo.ts');
    const zoo = await loadZoo();
    const classifiers = zoo.models.filter((m) => m.classes !== null);
    expect(classifiers.length).toBeGreaterThanOrEqual(8);
    for (const m of classifiers) expect((await readOnnxModelInfo(join(zoo.dir, m.onnx))).classLabels, m.name).toEqual(m.classes);
  });
});
