"""Reference predictions with Python onnxruntime: onnx_run.py MODEL.onnx DATA.csv K [TARGET]
→ JSON {output name: rows} for the first K rows of DATA.csv (every column but TARGET, float32).
Only tensor outputs are fetched (ZipMap outputs are skipped, as onnxruntime-node cannot read them)."""
import json
import sys

import numpy as np
import onnxruntime as ort
import pandas as pd

model, data, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = sys.argv[4] if len(sys.argv) > 4 else "target"
df = pd.read_csv(data).head(k)
X = df.drop(columns=[c for c in [target] if c in df.columns]).to_numpy(dtype=np.float32)
sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
names = [o.name for o in sess.get_outputs() if o.type.startswith("tensor")]
res = sess.run(names, {sess.get_inputs()[0].name: X})
out = {}
for n, a in zip(names, res):
    a = np.asarray(a)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.reshape(-1)
    out[n] = a.tolist()
json.dump({"outputs": out, "version": ort.__version__}, sys.stdout)
