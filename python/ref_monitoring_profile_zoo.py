"""Reference monitoring profile of a zoo model: ref_monitoring_profile_zoo.py ZOO_DIR NAME
→ JSON {"features": [{name, min, max} | {name, categories}], "classes": {label: count} | "quantiles": [q0.1 … q0.9]}.
The training CSV is read with pandas (string-input columns as strings, as make_zoo.py writes and reads them);
each column is cast to its input's element type (float32, float64, int64, …: what the model sees) and its
min/max taken with NaN skipped, or, for a string input, its distinct values sorted. Predictions come from
onnxruntime-python on every training row (make_zoo.run_onnx: the same column → input rule): the label output's
values counted, else the argmax of the probabilities/scores mapped to the classes; a single value output's
deciles with numpy.quantile's default linear method."""
import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_zoo  # noqa: E402

zoo_dir, name = sys.argv[1], sys.argv[2]
zoo = json.load(open(os.path.join(zoo_dir, "zoo.json")))
m = next(x for x in zoo["models"] if x["name"] == name)
targets = m["target"] if isinstance(m["target"], list) else [m["target"]]
sess = make_zoo.session(os.path.join(zoo_dir, m["onnx"]))
header = list(pd.read_csv(os.path.join(zoo_dir, m["train"]), nrows=0).columns)
features = [c for c in header if c not in targets]
groups = make_zoo.group_columns(sess, features, m["input_map"])
dtype_of = {c: make_zoo.ORT_TYPES[i.type][1] for i in sess.get_inputs() for c in groups[i.name]}
strings = {c: str for c, t in dtype_of.items() if t is object}
df = pd.read_csv(os.path.join(zoo_dir, m["train"]), dtype=strings, keep_default_na=False, na_values=[""])
X = df[features]

out = {"features": []}
for c in features:
    t = dtype_of[c]
    if t is object:
        out["features"].append({"name": c, "categories": sorted(set(X[c].astype(str)))})
        continue
    v = X[c].astype(np.float64)
    v = v.astype(t).astype(np.float64) if t in (np.float32, np.float64) else v
    if v.notna().any():
        out["features"].append({"name": c, "min": float(v.min()), "max": float(v.max())})

_, outs, _ = make_zoo.run_onnx(os.path.join(zoo_dir, m["onnx"]), X, m["input_map"])
roles = {o["role"]: o["name"] for o in m["outputs"]}
if m["task"] in ("binary", "multiclass"):
    if "label" in roles:
        labels = [str(x) for x in np.asarray(outs[roles["label"]]).reshape(len(X), -1)[:, 0]]
    else:
        scores = np.asarray(outs[roles.get("probabilities", roles.get("scores"))])
        classes = m["classes"] or list(range(scores.shape[1]))
        labels = [str(classes[j]) for j in scores.argmax(axis=1)]
    values, counts = np.unique(labels, return_counts=True)
    out["classes"] = {str(v): int(c) for v, c in zip(values, counts)}
else:
    pred = np.asarray(outs[roles.get("value", m["outputs"][0]["name"])]).reshape(len(X), -1)
    if pred.shape[1] == 1:
        out["quantiles"] = np.quantile(pred[:, 0].astype(np.float64), np.arange(1, 10) / 10).tolist()
json.dump(out, sys.stdout, ensure_ascii=False)
