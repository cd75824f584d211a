// onnxruntime's native warnings stay off the user's terminal: an onnxmltools LightGBM classifier declares
// its label output [1] and returns [N], which onnxruntime reports on every run as a coloured
// "[W:onnxruntime:… VerifyOutputSizes]" line on stderr (it did through `mlship evaluate` before the
// sessions were created with logSeverityLevel 3). A real LightGBM model, converted by onnxmltools.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.ts';
import { runPythonCodeJson } from '../harness/python.ts';

const TRAIN = `
import json, os, sys
import numpy as np, pandas as pd
from lightgbm import LGBMClassifier
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType
out = sys.argv[1]
rng = np.random.default_rng(0)
X = rng.normal(size=(90, 3)).astype(np.float32)
y = np.array(['bronze', 'silver', 'gold'])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)]
m = LGBMClassifier(n_estimators=5, num_leaves=4, min_child_samples=5, verbose=-1).fit(X, y)
onx = convert_lightgbm(m, initial_types=[("input", FloatTensorType([None, 3]))], zipmap=False, target_opset=15)
open(os.path.join(out, "lgbm.onnx"), "wb").write(onx.SerializeToString())
df = pd.DataFrame(X, columns=["a", "b", "c"]); df["tier"] = y
df.to_csv(os.path.join(out, "test.csv"), index=False)
print(json.dumps({"label_shape": [d.dim_value or d.dim_param for d in onx.graph.output[0].type.tensor_type.shape.dim]}))
`;

let dir: string;
let labelShape: Array<number | string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlship-ortlog-'));
  labelShape = runPythonCodeJson<{ label_shape: Array<number | string> }>(TRAIN, [dir]).label_shape;
});
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe('onnxruntime warnings', () => {
  it('an onnxmltools LightGBM classifier (label declared [1]) evaluates without native warning lines', async () => {
    expect(labelShape).toEqual([1]); // the mismatch onnxruntime warns about
    const ev = await runCli(['evaluate', '--model', 'lgbm.onnx', '--data', 'test.csv', '--target', 'tier', '--bootstrap', '0', '--out', 'e.json', '--quiet'], dir);
    expect([ev.code, ev.stderr]).toEqual([0, '']);
  });
});
