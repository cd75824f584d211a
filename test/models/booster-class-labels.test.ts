import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, InputError, loadPackage, serialize } from '@mlship/sdk';
import { pythonBin, runPythonCodeJson } from '../harness/python.ts';
import { loadLabelModels } from '../harness/zoo.ts';

// TRYOUT-REPORT B8: a LightGBM / XGBoost Booster trained on index labels 0..2 (lgb.train / xgb.train,
// python/make_label_models.py) packaged with --class-labels bronze,gold,silver: the package's labels are
// the names (index i named by the i-th), and evaluate on the package's model with the string target
// gives sklearn.metrics' numbers — computed here from onnxruntime-python's outputs on the same rows,
// the labels mapped index → name.
const REFERENCE = String.raw`
import json, sys, numpy as np, pandas as pd, onnxruntime as ort
from sklearn import metrics as M
model, csv = sys.argv[1], sys.argv[2]
names = np.array(["bronze", "gold", "silver"])
df = pd.read_csv(csv)
y = df.tier.to_numpy()
sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
lab, prob = sess.run(None, {sess.get_inputs()[0].name: df.drop(columns=["tier"]).to_numpy(np.float32)})
lab = names[np.asarray(lab).ravel()]
labels = np.unique(np.concatenate([y, lab]))
print(json.dumps({"accuracy": M.accuracy_score(y, lab), "f1_macro": M.f1_score(y, lab, average="macro"),
  "f1_weighted": M.f1_score(y, lab, average="weighted"), "balanced_accuracy": M.balanced_accuracy_score(y, lab),
  "log_loss": M.log_loss(y, prob, labels=list(names)),
  "roc_auc_ovr_macro": M.roc_auc_score(y, prob, multi_class="ovr", labels=list(names)),
  "roc_auc_ovr_weighted": M.roc_auc_score(y, prob, multi_class="ovr", average="weighted", labels=list(names)),
  "labels": labels.tolist(), "confusion": M.confusion_matrix(y, lab, labels=labels).tolist()}))
`;

let dir: string;
let work: string;
beforeAll(async () => {
  dir = (await loadLabelModels()).dir;
  work = await mkdtemp(join(tmpdir(), 'mlship-booster-labels-'));
});
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

describe('a Booster with --class-labels', () => {
  for (const [format, file] of [['lightgbm', 'tier_lgbm.txt'], ['xgboost', 'tier_xgb.json']] as const) {
    it(`${format}: serialize names the index labels; evaluate on the package's model with the string target is sklearn's`, async () => {
      const out = join(work, format);
      const result = await serialize({
        model: join(dir, file), format, out, name: `tier-${format}`, version: '1', featuresFrom: join(dir, 'tier.train.csv'), target: 'tier',
        classLabels: ['bronze', 'gold', 'silver'], python: pythonBin(),
      });
      expect(result.manifest.classLabels).toEqual(['bronze', 'gold', 'silver']);
      expect(result.parity?.passed).toBe(true);
      expect((await loadPackage(out)).manifest.classLabels).toEqual(['bronze', 'gold', 'silver']);

      const model = join(out, 'model.onnx');
      const report = await evaluateModel({ model, data: join(dir, 'tier.test.csv'), target: 'tier', bootstrap: 0 });
      const ref = runPythonCodeJson<Record<string, unknown>>(REFERENCE, [model, join(dir, 'tier.test.csv')]);
      const m = report.metrics as Record<string, unknown>;
      for (const [k, v] of Object.entries(ref)) {
        if (typeof v === 'number') expect(Math.abs((m[k] as number) - v), `${k}: ${String(m[k])} vs sklearn ${v}`).toBeLessThanOrEqual(1e-6);
      }
      expect((m.confusion_matrix as { labels: unknown }).labels).toEqual(ref.labels);
      expect((m.confusion_matrix as { matrix: unknown }).matrix).toEqual(ref.confusion);

      // The same ONNX file outside its package has index labels 0..2: a text target is refused, naming both.
      const bare = join(work, `${format}-bare.onnx`);
      await copyFile(model, bare);
      const err = await evaluateModel({ model: bare, data: join(dir, 'tier.test.csv'), target: 'tier', bootstrap: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/holds text \(\{"bronze", "gold", "silver"\}\).*numbers \{0, 1, 2\}.*class-labels/);
    });
  }
});
