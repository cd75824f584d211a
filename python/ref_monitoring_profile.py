"""Reference monitoring profile: ref_monitoring_profile.py MODEL.onnx TRAIN.csv OUTPUT [TARGET]
→ JSON {"features": [{name, min, max}], "labels": {label: count} | "quantiles": [q0.1 … q0.9]}.
Ranges are pandas min/max of each feature column as float32 (what the model sees); predictions come from
Python onnxruntime on every row; OUTPUT is the label output (int64 → counts per value) or the value output
(deciles with numpy.quantile's default linear method)."""
import json
import sys

import numpy as np
import onnxruntime as ort
import pandas as pd

model, data, output = sys.argv[1], sys.argv[2], sys.argv[3]
target = sys.argv[4] if len(sys.argv) > 4 else "target"
df = pd.read_csv(data)
X = df.drop(columns=[target]).astype(np.float32)
features = [{"name": c, "min": float(X[c].min()), "max": float(X[c].max())} for c in X.columns]
sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
(pred,) = sess.run([output], {sess.get_inputs()[0].name: X.to_numpy()})
pred = np.asarray(pred).reshape(len(X), -1)[:, 0]
out = {"features": features}
if pred.dtype.kind in "iu":
    values, counts = np.unique(pred, return_counts=True)
    out["labels"] = {str(int(v)): int(c) for v, c in zip(values, counts)}
else:
    out["quantiles"] = np.quantile(pred.astype(np.float64), np.arange(1, 10) / 10).tolist()
json.dump(out, sys.stdout)
