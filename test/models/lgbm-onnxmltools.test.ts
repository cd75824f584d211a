// An onnxmltools LightGBM classifier declares its label output [1] and returns [N] (a real model,
// trained and converted here). onnxruntime reports that on every run as a coloured
// "[W:onnxruntime:… VerifyOutputSizes]" line on stderr — kept off the user's terminal (sessions log
// errors only) — and the server's OIP metadata gives the label the batch dimension it really has (-1).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.ts';
import { runPythonCodeJson } from '../harness/python.ts';
import { servedModelFrom } from '@mlship/sdk';
import { get, startServer } from '../server/helpers.ts';

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

  it('GET /v2/models/… declares the label with a dynamic batch dimension, as /infer returns it (OIP: variable-size dimensions are -1)', async () => {
    const { server, url } = await startServer(await servedModelFrom(join(dir, 'lgbm.onnx'), { name: 'lgbm' }));
    try {
      const meta = (await get(url, '/v2/models/lgbm')).json;
      expect(meta.outputs).toEqual([{ name: 'label', datatype: 'BYTES', shape: [-1] }, { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }]);
    } finally {
      await server.close();
    }
  });
});
