#!/usr/bin/env python3
"""Pieces of `npm run bench -- evaluate` (bench/evaluate.bench.ts).

    bench_evaluate.py train TRAIN.csv MODEL.onnx
        Fits LogisticRegression(max_iter=200) on TRAIN.csv (features = every column but `target`) and
        exports it with skl2onnx (float32 input [None, F], zipmap=False: label + probabilities).

    bench_evaluate.py peer MODEL.onnx TEST.csv
        The Python peer of `mlship evaluate`: pandas.read_csv + onnxruntime (one run over the whole
        float32 tensor) + sklearn.metrics — the same binary metrics mlship reports (accuracy,
        balanced_accuracy, precision/recall/f1 binary, macro, micro, weighted, confusion_matrix,
        roc_auc, log_loss). Prints {"seconds": {...}, "metrics": {...}} as JSON.
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def train(train_csv, model_path):
    from sklearn.linear_model import LogisticRegression
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    df = pd.read_csv(train_csv)
    X = df.drop(columns=["target"]).to_numpy(dtype=np.float32)
    y = df["target"].to_numpy()
    model = LogisticRegression(max_iter=200).fit(X, y)
    onx = convert_sklearn(model, initial_types=[("float_input", FloatTensorType([None, X.shape[1]]))],
                          options={id(model): {"zipmap": False}}, target_opset=15)
    with open(model_path, "wb") as f:
        f.write(onx.SerializeToString())


def peer(model_path, test_csv):
    import onnxruntime as ort
    from sklearn import metrics as skm

    t_import = time.perf_counter()
    df = pd.read_csv(test_csv)
    X = df.drop(columns=["target"]).to_numpy(dtype=np.float32)
    y = df["target"].to_numpy()
    t_read = time.perf_counter()
    sess = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    label, prob = sess.run(["label", "probabilities"], {sess.get_inputs()[0].name: X})
    t_infer = time.perf_counter()
    prob = prob.astype(np.float64)
    m = {
        "accuracy": skm.accuracy_score(y, label),
        "balanced_accuracy": skm.balanced_accuracy_score(y, label),
        "precision": skm.precision_score(y, label, zero_division=0),
        "recall": skm.recall_score(y, label, zero_division=0),
        "f1": skm.f1_score(y, label, zero_division=0),
    }
    for avg in ("macro", "micro", "weighted"):
        m[f"precision_{avg}"] = skm.precision_score(y, label, average=avg, zero_division=0)
        m[f"recall_{avg}"] = skm.recall_score(y, label, average=avg, zero_division=0)
        m[f"f1_{avg}"] = skm.f1_score(y, label, average=avg, zero_division=0)
    m["confusion_matrix"] = skm.confusion_matrix(y, label).tolist()
    m["roc_auc"] = skm.roc_auc_score(y, prob[:, 1])
    m["log_loss"] = skm.log_loss(y, prob, labels=[0, 1])
    t_metrics = time.perf_counter()
    print(json.dumps({
        "seconds": {"imports": t_import - t_start, "read_csv": t_read - t_import, "inference": t_infer - t_read,
                    "metrics": t_metrics - t_infer},
        "metrics": {k: (float(v) if not isinstance(v, list) else v) for k, v in m.items()},
    }))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "peer":
        peer(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
