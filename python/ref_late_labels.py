"""Reference for late-label accuracy: ref_late_labels.py LOG.csv LABELS.csv WINDOW_SECONDS TASK [POS_LABEL]
Joins the inference log (prediction, id, time) with the labels CSV (id, target) in pandas, cuts UTC-aligned
windows of WINDOW_SECONDS, and scores each window and all rows with sklearn.metrics (binary: precision,
recall and f1 with pos_label=POS_LABEL).
→ JSON {"windows": [{"start", "n", "metrics"}], "overall": {"n", "metrics"}}."""
import json
import sys

import numpy as np
import pandas as pd
from sklearn import metrics as M

log_path, labels_path, window, task = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
pos_label = sys.argv[5] if len(sys.argv) > 5 else None
log = pd.read_csv(log_path, dtype={"id": str, "prediction": str})
labels = pd.read_csv(labels_path, dtype={"id": str, "target": str})
log = log.drop_duplicates("id", keep="last")
df = log.merge(labels, on="id", how="inner")
df["t"] = (pd.to_datetime(df["time"], utc=True) - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
df = df.sort_values("t", kind="stable")


def score(d):
    if task == "regression":
        y, p = d["target"].astype(float), d["prediction"].astype(float)
        return {"mse": M.mean_squared_error(y, p), "mae": M.mean_absolute_error(y, p), "r2": M.r2_score(y, p)}
    y, p = d["target"], d["prediction"]
    binary = {}
    if task == "binary" and pos_label is not None:
        binary = {k: f(y, p, pos_label=pos_label, zero_division=0) for k, f in (("precision", M.precision_score), ("recall", M.recall_score), ("f1", M.f1_score))}
    return {
        **binary,
        "accuracy": M.accuracy_score(y, p), "balanced_accuracy": M.balanced_accuracy_score(y, p),
        "f1_macro": M.f1_score(y, p, average="macro", zero_division=0), "f1_micro": M.f1_score(y, p, average="micro", zero_division=0),
        "f1_weighted": M.f1_score(y, p, average="weighted", zero_division=0),
        "precision_macro": M.precision_score(y, p, average="macro", zero_division=0), "recall_macro": M.recall_score(y, p, average="macro", zero_division=0),
    }


windows = []
for w, d in df.groupby(np.floor(df["t"] / window), sort=True):
    windows.append({"start": pd.Timestamp(w * window, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.000Z"), "n": int(len(d)), "metrics": score(d)})
json.dump({"windows": windows, "overall": {"n": int(len(df)), "metrics": score(df)}}, sys.stdout)
