#!/usr/bin/env python3
"""Reference metric values computed by scikit-learn itself, for mlship's evaluate tests.

    ref_metrics.py models   < [{"model": M, "data": D, "target": "target"}, ...]   (JSON on stdin)
    ref_metrics.py arrays   < [{"metric": "roc_auc", "y_true": [...], "y_score": [...]}, ...]

`models` runs the whole evaluation independently of mlship: pandas.read_csv, the Python onnxruntime,
and sklearn.metrics — the same conventions mlship documents: features = every column but the target
in file order as float32; the label output if the model has one, else the argmax of the
probabilities; a ZipMap model is read from its tensor outputs only (labels), as onnxruntime-node must;
a regressor's single [N, 1] output. Probabilities are used as float64 (mlship's rule), roc_auc on
column 1 (binary) or one-vs-rest with labels=range(K) (multiclass), log_loss with labels=range(K)
after clipping to [eps, 1-eps] (float64 eps) and renormalising each row — scikit-learn 1.2-1.4's
definition (1.9 dropped the renormalisation and raises on float32 values such as 1.0000001).

`arrays` evaluates metrics on given arrays (differential tests on random data): roc_auc,
roc_auc_ovr_macro, roc_auc_ovr_weighted, log_loss, classification (every counting metric; binary ones
when y_true ∪ y_pred hold ≤ 2 labels), regression, and numpy's np_sum / np_percentile.
Prints JSON on stdout.
"""
import json
import sys
import warnings

import numpy as np
import onnxruntime as ort
import pandas as pd
import sklearn
from sklearn import metrics as skm

warnings.simplefilter("ignore")
EPS = np.finfo(np.float64).eps


def clip_renormalise(p):
    q = np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS)
    return q / q.sum(axis=1, keepdims=True)


def classification(y, pred, prob):
    labels = np.unique(np.concatenate([y, pred]))
    k_prob = None if prob is None else prob.shape[1]
    task = ("binary" if k_prob == 2 else "multiclass") if k_prob is not None else ("binary" if len(labels) <= 2 else "multiclass")
    out = {
        "accuracy": skm.accuracy_score(y, pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y, pred),
    }
    if task == "binary":
        out["precision"] = skm.precision_score(y, pred, pos_label=1, zero_division=0)
        out["recall"] = skm.recall_score(y, pred, pos_label=1, zero_division=0)
        out["f1"] = skm.f1_score(y, pred, pos_label=1, zero_division=0)
    for avg in ("macro", "micro", "weighted"):
        out[f"precision_{avg}"] = skm.precision_score(y, pred, average=avg, zero_division=0)
        out[f"recall_{avg}"] = skm.recall_score(y, pred, average=avg, zero_division=0)
        out[f"f1_{avg}"] = skm.f1_score(y, pred, average=avg, zero_division=0)
    if prob is not None:
        k = prob.shape[1]
        if task == "binary":
            out["roc_auc"] = skm.roc_auc_score(y, prob[:, 1])
        else:
            out["roc_auc_ovr_macro"] = skm.roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=list(range(k)))
            out["roc_auc_ovr_weighted"] = skm.roc_auc_score(y, prob, multi_class="ovr", average="weighted", labels=list(range(k)))
        out["log_loss"] = skm.log_loss(y, clip_renormalise(prob), labels=list(range(k)))
    p, r, f, s = skm.precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    return task, {k: float(v) for k, v in out.items()}, {
        "confusion_matrix": {"labels": labels.tolist(), "matrix": skm.confusion_matrix(y, pred, labels=labels).tolist()},
        "per_class": {"labels": labels.tolist(), "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist()},
    }


def regression(y, pred):
    out = {
        "mse": skm.mean_squared_error(y, pred),
        "rmse": skm.root_mean_squared_error(y, pred),
        "mae": skm.mean_absolute_error(y, pred),
        "r2": skm.r2_score(y, pred),
        "explained_variance": skm.explained_variance_score(y, pred),
        "max_error": skm.max_error(y, pred),
        "mape": skm.mean_absolute_percentage_error(y, pred),
    }
    return "regression", {k: float(v) for k, v in out.items()}, {}


def evaluate_model(spec):
    target = spec.get("target", "target")
    df = pd.read_csv(spec["data"])
    X = df.drop(columns=[target]).to_numpy(dtype=np.float32)
    y = df[target].to_numpy(dtype=np.float64)
    sess = ort.InferenceSession(spec["model"], providers=["CPUExecutionProvider"])
    outs = sess.get_outputs()
    tensor_outs = [o for o in outs if o.type.startswith("tensor(")]
    label_out = next((o for o in tensor_outs if "int" in o.type and len(o.shape) == 1), None)
    prob_out = next((o for o in tensor_outs if "float" in o.type and len(o.shape) == 2 and o.shape[1] not in (1,) and "prob" in o.name), None)
    names = [o.name for o in (label_out, prob_out) if o is not None]
    if not names:
        value_out = next(o for o in tensor_outs if "float" in o.type)
        (pred,) = sess.run([value_out.name], {sess.get_inputs()[0].name: X})
        return regression(y, np.asarray(pred, dtype=np.float64).reshape(-1))
    res = dict(zip(names, sess.run(names, {sess.get_inputs()[0].name: X})))
    prob = None if prob_out is None else np.asarray(res[prob_out.name], dtype=np.float64)
    pred = np.asarray(res[label_out.name], dtype=np.float64) if label_out is not None else np.argmax(prob, axis=1).astype(np.float64)
    return classification(y, pred, prob)


def array_metric(spec):
    m = spec["metric"]
    if m == "np_sum":
        return float(np.sum(np.asarray(spec["values"], dtype=np.float64)))
    if m == "np_percentile":
        return [float(x) for x in np.percentile(np.asarray(spec["values"], dtype=np.float64), spec["q"])]
    y = np.asarray(spec["y_true"], dtype=np.float64)
    if m == "classification":
        pred = np.asarray(spec["y_pred"], dtype=np.float64)
        return classification(y, pred, None)[1]
    if m == "regression":
        return regression(y, np.asarray(spec["y_pred"], dtype=np.float64))[1]
    if m == "roc_auc":
        return float(skm.roc_auc_score(y, np.asarray(spec["y_score"], dtype=np.float64)))
    prob = np.asarray(spec["y_prob"], dtype=np.float64)
    labels = list(range(prob.shape[1]))
    if m == "roc_auc_ovr_macro":
        return float(skm.roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=labels))
    if m == "roc_auc_ovr_weighted":
        return float(skm.roc_auc_score(y, prob, multi_class="ovr", average="weighted", labels=labels))
    if m == "log_loss":
        return float(skm.log_loss(y, clip_renormalise(prob), labels=labels))
    raise SystemExit(f"unknown metric {m}")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    specs = json.load(sys.stdin)
    if mode == "models":
        results = []
        for spec in specs:
            task, values, extra = evaluate_model(spec)
            results.append({"model": spec["model"], "task": task, "metrics": values, **extra})
        out = {"sklearn": sklearn.__version__, "onnxruntime": ort.__version__, "results": results}
    elif mode == "arrays":
        out = {"sklearn": sklearn.__version__, "values": [array_metric(s) for s in specs]}
    else:
        raise SystemExit(__doc__)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
