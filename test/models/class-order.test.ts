import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, InputError, renderEvaluationMarkdown, type EvaluationReport } from '@mlship/sdk';
import { runCli } from '../harness/cli.ts';
import { runPythonCodeJson } from '../harness/python.ts';
import { loadLabelModels } from '../harness/zoo.ts';

// The tryout's wrong numbers with exit 0 (TRYOUT-REPORT A1–A3): the models come from
// python/make_label_models.py (real scikit-learn + skl2onnx exports); every expected value is computed
// here by onnxruntime-python + sklearn.metrics on the same CSV, with the definitions docs/metrics.md
// states: labels = np.unique(y_true ∪ y_pred) (the confusion matrix / per-class order), the binary
// positive class = the model's classes_[1] (or --pos-label), probability metrics with labels=classes_.
const REFERENCE = String.raw`
import json, sys, numpy as np, pandas as pd, onnxruntime as ort
from sklearn import metrics as M
model, csv, target, pos = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
import onnx
node = next(n for n in onnx.load(model).graph.node if n.op_type in ("LinearClassifier", "TreeEnsembleClassifier"))
attrs = {a.name: a for a in node.attribute}
classes = [s.decode() for s in attrs["classlabels_strings"].strings] if "classlabels_strings" in attrs else list(attrs["classlabels_ints"].ints)
df = pd.read_csv(csv, dtype={target: str} if isinstance(classes[0], str) else None, keep_default_na=False)
y = df[target].to_numpy()
feeds = {}
for i in sess.get_inputs():
    if i.name in df.columns:
        feeds[i.name] = df[[i.name]].to_numpy().astype(str if i.type == "tensor(string)" else np.float32)
    else:
        feeds[i.name] = df.drop(columns=[target]).to_numpy(np.float32)
lab, prob = sess.run(None, feeds)
lab = np.asarray(lab).ravel()
labels = np.unique(np.concatenate([y, lab]))
out = {"classes": classes, "labels": labels.tolist(), "confusion": M.confusion_matrix(y, lab, labels=labels).tolist(),
       "accuracy": M.accuracy_score(y, lab), "f1_macro": M.f1_score(y, lab, average="macro"),
       "f1_weighted": M.f1_score(y, lab, average="weighted"), "precision_macro": M.precision_score(y, lab, average="macro"),
       "balanced_accuracy": M.balanced_accuracy_score(y, lab)}
def attempt(name, f):
    try:
        out[name] = f()
    except ValueError:
        pass  # sklearn refuses it (e.g. a label outside classes_): mlship must not report it either
if len(classes) == 2:
    p = classes[1] if pos == "" else pos
    out["pos_label"] = p
    attempt("f1", lambda: M.f1_score(y, lab, pos_label=p))
    attempt("precision", lambda: M.precision_score(y, lab, pos_label=p))
    attempt("recall", lambda: M.recall_score(y, lab, pos_label=p))
    if len(set(y == p)) == 2:
        attempt("roc_auc", lambda: M.roc_auc_score(y == p, prob[:, classes.index(p)]))
else:
    attempt("roc_auc_ovr_macro", lambda: M.roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=classes))
    attempt("roc_auc_ovr_weighted", lambda: M.roc_auc_score(y, prob, multi_class="ovr", average="weighted", labels=classes))
attempt("log_loss", lambda: M.log_loss(y, prob, labels=classes))
print(json.dumps(out, default=lambda v: v.item() if hasattr(v, "item") else str(v)))
`;

type Ref = Record<string, number> & { classes: Array<string | number>; labels: Array<string | number>; confusion: number[][]; pos_label?: string | number };

let dir: string;
beforeAll(async () => { dir = (await loadLabelModels()).dir; });

function reference(model: string, csv: string, target: string, pos = ''): Ref {
  return runPythonCodeJson<Ref>(REFERENCE, [join(dir, model), join(dir, csv), target, pos]);
}

function expectSklearn(report: EvaluationReport, ref: Ref): void {
  const m = report.metrics as Record<string, unknown>;
  for (const [name, v] of Object.entries(ref)) {
    if (typeof v !== 'number') continue;
    expect(m[name], `${name} (not computed: ${report.not_computed[name] ?? '–'})`).toBeDefined();
    expect(Math.abs((m[name] as number) - v), `${name}: ${String(m[name])} vs sklearn ${v}`).toBeLessThanOrEqual(1e-6);
  }
  const cm = m.confusion_matrix as { labels: unknown[]; matrix: number[][] };
  expect(cm.labels).toEqual(ref.labels);
  expect(cm.matrix).toEqual(ref.confusion);
  expect((m.per_class as { labels: unknown[] }).labels).toEqual(ref.labels);
}

async function evaluate(model: string, csv: string, target: string, extra: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (s: string) => { warnings.push(s); } };
  const report = await evaluateModel({ model: join(dir, model), data: join(dir, csv), target, bootstrap: 0, logger, ...extra });
  return { report, warnings };
}

describe('binary: the positive class is the model\'s classes_[1], whatever the test set holds', () => {
  it('all rows of the test set are the positive class "yes" (A1)', async () => {
    const ref = reference('churn.onnx', 'churn_onlyyes.csv', 'churn');
    expect(ref.classes).toEqual(['no', 'yes']);
    expect(ref.pos_label).toBe('yes');
    const { report } = await evaluate('churn.onnx', 'churn_onlyyes.csv', 'churn');
    expect(report.task).toBe('binary');
    expect(report.pos_label).toBe('yes');
    expect(ref.f1).toBeGreaterThan(0.5); // the tryout's f1 0 was the wrong class
    expectSklearn(report, ref);
    expect(renderEvaluationMarkdown(report)).toContain('Positive class **"yes"**: precision, recall, f1 and roc_auc are for it');
  });

  it('the whole test set, default and --pos-label no (roc_auc from that class\'s column)', async () => {
    const { report } = await evaluate('churn.onnx', 'churn.test.csv', 'churn');
    expectSklearn(report, reference('churn.onnx', 'churn.test.csv', 'churn'));
    const no = await evaluate('churn.onnx', 'churn.test.csv', 'churn', { posLabel: 'no' });
    expect(no.report.pos_label).toBe('no');
    expectSklearn(no.report, reference('churn.onnx', 'churn.test.csv', 'churn', 'no'));
    await expect(evaluate('churn.onnx', 'churn.test.csv', 'churn', { posLabel: 'maybe' })).rejects.toThrow(/pos-label.*"maybe".*\["no", "yes"\]/);
  });

  it('mlship evaluate --pos-label (the CLI bundle): the summary and the JSON say the class', async () => {
    const run = await runCli(['evaluate', '--model', join(dir, 'churn.onnx'), '--data', join(dir, 'churn.test.csv'), '--target', 'churn', '--pos-label', 'no', '--bootstrap', '0', '--out', 'm.json', '--quiet'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Positive class **"no"**');
    const bad = await runCli(['evaluate', '--model', join(dir, 'churn.onnx'), '--data', join(dir, 'churn_caps.csv'), '--target', 'churn', '--quiet'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/none of the target labels \{"No", "Yes"\}/);
  });

  it('--pos-label with a test set holding only that class', async () => {
    const { report } = await evaluate('churn.onnx', 'churn_onlyyes.csv', 'churn', { posLabel: 'no' });
    expectSklearn(report, reference('churn.onnx', 'churn_onlyyes.csv', 'churn', 'no'));
  });
});

describe('string classes that look like numbers stay strings (A2)', () => {
  it('classes_ ["1", "10", "2"]: probability metrics with labels=classes_, matrix in np.unique order', async () => {
    const ref = reference('numstr.onnx', 'numstr.test.csv', 'tier');
    expect(ref.classes).toEqual(['1', '10', '2']);
    const { report } = await evaluate('numstr.onnx', 'numstr.test.csv', 'tier');
    expect(report.task).toBe('multiclass');
    expectSklearn(report, ref);
  });
});

describe('target labels that are not the model\'s classes (A3)', () => {
  it('none of them: exit 2 naming both sets, hinting at case', async () => {
    const err = await evaluate('churn.onnx', 'churn_caps.csv', 'churn').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/none of the target labels \{"No", "Yes"\} .*classes \{"no", "yes"\}/);
    expect((err as Error).message).toMatch(/case/);
  });

  it('some of them: a warning names them and the metrics are sklearn\'s over the union', async () => {
    const { report, warnings } = await evaluate('churn.onnx', 'churn_unknown.csv', 'churn');
    expect(warnings.join('\n')).toMatch(/"maybe".*not among the model's classes/);
    expect(report.notes.join('\n')).toMatch(/"maybe"/);
    expectSklearn(report, reference('churn.onnx', 'churn_unknown.csv', 'churn'));
  });
});
