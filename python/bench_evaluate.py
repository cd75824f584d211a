#!/usr/bin/env python3
"""Pieces of `npm run bench -- evaluate` (bench/evaluate.bench.ts).

    bench_evaluate.py train TRAIN.csv MODEL.onnx
        Fits LogisticRegression(max_iter=200) on TRAIN.csv (features = every column but `target`) and
        exports it with skl2onnx (float32 input [None, F], zipmap=False: label + probabilities).

    bench_evaluate.py train-mlp TRAIN.csv MODEL.onnx [HIDDEN]
        Fits MLPClassifier(hidden_layer_sizes=HIDDEN, default 256,256; max_iter=5) on TRAIN.csv and exports
        it the same way: a model whose inference, not the CSV parse, dominates a scoring run
        (bench/predict.bench.ts). Layers wider than 256 are fitted on the first 20,000 rows for 2 epochs:
        a benchmark of inference cost, not a good model.

    bench_evaluate.py peer MODEL.onnx TEST.csv
        The Python peer of `mlship evaluate`: pandas.read_csv + onnxruntime (one run over the whole
        float32 tensor) + sklearn.metrics — the same binary metrics mlship reports (accuracy,
        balanced_accuracy, precision/recall/f1 binary, macro, micro, weighted, confusion_matrix,
        roc_auc, log_loss). Prints {"seconds": {...}, "metrics": {...}} as JSON.

    bench_evaluate.py mixed-data ROWS SEED OUT.csv
        A mixed-type table (numeric age, income; string city, plan, zip with leading zeros; binary target),
        seeded.
    bench_evaluate.py mixed-train TRAIN.csv MODEL.onnx
        Pipeline(ColumnTransformer(StandardScaler on the numbers, OneHotEncoder on the strings),
        LogisticRegression) exported as skl2onnx documents it: one input per column, string tensors for
        the categoricals.
    bench_evaluate.py mixed-peer MODEL.onnx TEST.csv
        The peer on that table: pandas.read_csv (string columns as str) + onnxruntime (one run, one
        [N, 1] tensor per column) + the same sklearn.metrics.
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def train(train_csv, model_path, kind="logreg", hidden=(256, 256)):
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    df = pd.read_csv(train_csv)
    X = df.drop(columns=["target"]).to_numpy(dtype=np.float32)
    y = df["target"].to_numpy()
    if kind == "mlp":
        heavy = max(hidden) > 256
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # a few epochs: a benchmark model, not a good one
            model = MLPClassifier(hidden_layer_sizes=hidden, max_iter=2 if heavy else 5, random_state=0).fit(X[:20000] if heavy else X, y[:20000] if heavy else y)
    else:
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


MIXED_NUM = ["age", "income"]
MIXED_STR = ["city", "plan", "zip"]


def mixed_data(rows, seed, out):
    rng = np.random.default_rng(seed)
    cities = np.array(["lyon", "paris", "lille", "nantes", "brest", "nice", "metz", "pau"])
    plans = np.array(["free", "pro", "team", "enterprise"])
    zips = np.array([f"{z:05d}" for z in (1000, 13008, 69001, 75011, 59000, 29200, 6000, 57000, 64000, 2100)])
    age = rng.integers(18, 80, rows)
    income = np.round(rng.gamma(2.0, 1500.0, rows), 2)
    c, p, z = rng.integers(0, len(cities), rows), rng.integers(0, len(plans), rows), rng.integers(0, len(zips), rows)
    score = 0.03 * (age - 45) + 0.0002 * (income - 3000) + (c % 3 - 1) * 0.8 + (p - 1.5) * 0.6 + rng.normal(0, 1, rows)
    df = pd.DataFrame({"age": age, "income": income, "city": cities[c], "plan": plans[p], "zip": zips[z],
                       "target": (score > 0).astype(int)})
    df.to_csv(out, index=False)


def mixed_read(path):
    return pd.read_csv(path, dtype={c: str for c in MIXED_STR})


def mixed_train(train_csv, model_path):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    df = mixed_read(train_csv)
    X = df.drop(columns=["target"])
    X[MIXED_NUM] = X[MIXED_NUM].astype(np.float32)
    pipe = Pipeline([("prep", ColumnTransformer([("num", StandardScaler(), MIXED_NUM),
                                                  ("cat", OneHotEncoder(handle_unknown="ignore"), MIXED_STR)])),
                     ("clf", LogisticRegression(max_iter=300))]).fit(X, df["target"])
    types = [(c, FloatTensorType([None, 1])) for c in MIXED_NUM] + [(c, StringTensorType([None, 1])) for c in MIXED_STR]
    onx = convert_sklearn(pipe, initial_types=types, options={id(pipe.steps[-1][1]): {"zipmap": False}}, target_opset=15)
    with open(model_path, "wb") as f:
        f.write(onx.SerializeToString())


def mixed_peer(model_path, test_csv):
    import onnxruntime as ort
    from sklearn import metrics  # noqa: F401  (imported before the clock starts, as in peer())

    t_import = time.perf_counter()
    df = mixed_read(test_csv)
    y = df["target"].to_numpy()
    feeds = {c: df[c].to_numpy(dtype=np.float32).reshape(-1, 1) for c in MIXED_NUM}
    feeds.update({c: df[c].to_numpy(dtype=object).reshape(-1, 1) for c in MIXED_STR})
    t_read = time.perf_counter()
    sess = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    label, prob = sess.run(["label", "probabilities"], feeds)
    t_infer = time.perf_counter()
    metrics, timing = binary_metrics(y, label, prob, t_infer)
    print(json.dumps({"seconds": {"imports": t_import - t_start, "read_csv": t_read - t_import, "inference": t_infer - t_read, **timing},
                      "metrics": metrics}))


def binary_metrics(y, label, prob, t0):
    from sklearn import metrics as skm
    prob = prob.astype(np.float64)
    m = {"accuracy": skm.accuracy_score(y, label), "balanced_accuracy": skm.balanced_accuracy_score(y, label),
         "precision": skm.precision_score(y, label, zero_division=0), "recall": skm.recall_score(y, label, zero_division=0),
         "f1": skm.f1_score(y, label, zero_division=0)}
    for avg in ("macro", "micro", "weighted"):
        m[f"precision_{avg}"] = skm.precision_score(y, label, average=avg, zero_division=0)
        m[f"recall_{avg}"] = skm.recall_score(y, label, average=avg, zero_division=0)
        m[f"f1_{avg}"] = skm.f1_score(y, label, average=avg, zero_division=0)
    m["confusion_matrix"] = skm.confusion_matrix(y, label).tolist()
    m["roc_auc"] = skm.roc_auc_score(y, prob[:, 1])
    m["log_loss"] = skm.log_loss(y, prob, labels=[0, 1])
    return {k: (float(v) if not isinstance(v, list) else v) for k, v in m.items()}, {"metrics": time.perf_counter() - t0}


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "mixed-data":
        mixed_data(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        raise SystemExit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "mixed-train":
        mixed_train(sys.argv[2], sys.argv[3])
        raise SystemExit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "mixed-peer":
        mixed_peer(sys.argv[2], sys.argv[3])
        raise SystemExit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "train-mlp":
        train(sys.argv[2], sys.argv[3], "mlp", tuple(int(h) for h in (sys.argv[4] if len(sys.argv) == 5 else "256,256").split(",")))
    elif len(sys.argv) == 4 and sys.argv[1] == "peer":
        peer(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
