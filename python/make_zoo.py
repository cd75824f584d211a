#!/usr/bin/env python3
"""mlship's model zoo: make_zoo.py OUTDIR

Trains small models with the real libraries (scikit-learn, skl2onnx, XGBoost, LightGBM, onnxmltools,
PyTorch), exports each one the way its library documents, and writes OUTDIR/zoo.json describing them
(format: the contract in docs/models.md, section "Model zoo"). Every model is seeded and takes well
under a second to train; the whole zoo takes a few seconds, most of it importing torch.

For every model the reference values are computed here, in Python, from the test CSV as written
(read back with pandas, string columns as strings):
  - reference.outputs: onnxruntime-python's outputs on the test rows ({"<output>": rows}),
  - reference.native_labels: the native model's predict() on the same rows (classifiers),
  - reference.metrics: sklearn.metrics on the test rows from onnxruntime-python's predictions.
Inputs are fed by the same rule mlship documents: an input named like a column takes that column; a
[N, k] input takes the next k columns in CSV order; input_map (recorded only where that rule cannot
map) overrides it.
"""
import json
import math
import os
import sys
import time
import warnings

import joblib
import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")  # sklearn's zero_division / convergence notes: the values are what matters

SEED = 0
N_TRAIN = 240
N_TEST = 80

OUT = None
MODELS = []


def model(fn):
    MODELS.append(fn)
    return fn


# ---------------------------------------------------------------------------------------------------
# data


def rounded(a, decimals=4):
    """Values written to CSV with few digits, so that every reader parses the same float32/float64."""
    return np.round(np.asarray(a, dtype=np.float64), decimals)


def tabular(n_features, n_classes=None, seed=SEED, n_informative=None):
    from sklearn.datasets import make_classification, make_regression
    n = N_TRAIN + N_TEST
    if n_classes:
        X, y = make_classification(n_samples=n, n_features=n_features, n_informative=n_informative or min(n_features, 4),
                                   n_redundant=0, n_classes=n_classes, n_clusters_per_class=1, class_sep=1.0,
                                   flip_y=0.05, random_state=seed)
    else:
        X, y = make_regression(n_samples=n, n_features=n_features, n_informative=n_informative or n_features,
                               noise=8.0, random_state=seed)
        y = rounded(y, 3)
    return rounded(X), y


def customers(seed=SEED):
    """A mixed-type table: numbers, string categoricals (one with numeric-looking codes with a leading zero),
    a non-ASCII column name; target 1 = churned."""
    rng = np.random.default_rng(seed)
    n = N_TRAIN + N_TEST
    city = rng.choice(["lyon", "paris", "marseille", "lille"], n, p=[0.3, 0.4, 0.2, 0.1])
    plan = rng.choice(["basic", "pro", "team"], n, p=[0.5, 0.3, 0.2])
    zipc = rng.choice(["01000", "69001", "75011", "13008"], n)
    age = rng.integers(18, 80, n).astype(np.float64)
    income = rounded(rng.gamma(4.0, 900.0, n), 2)
    z = (-0.03 * (age - 45) + 0.0004 * (income - 3600) + np.where(plan == "basic", 0.8, -0.5)
         + np.where(city == "paris", 0.5, 0.0) + np.where(zipc == "01000", -0.7, 0.0) + rng.normal(0, 0.8, n))
    df = pd.DataFrame({"age": age, "income": income, "città": city, "plan": plan, "zip": zipc})
    return df, (z > 0).astype(np.int64)


def frame(X, names):
    return pd.DataFrame(np.asarray(X), columns=names)


def write_split(name, X, y, target="target"):
    """Writes name.train.csv / name.test.csv (features then target column(s)); returns both frames as read
    back with pandas (string columns kept as strings)."""
    df = X.copy()
    if isinstance(target, list):
        for i, t in enumerate(target):
            df[t] = np.asarray(y)[:, i]
    else:
        df[target] = np.asarray(y)
    paths = {}
    for part, rows in (("train", df.iloc[:N_TRAIN]), ("test", df.iloc[N_TRAIN:])):
        paths[part] = f"{name}.{part}.csv"
        rows.to_csv(os.path.join(OUT, paths[part]), index=False)
    strings = {c: str for c in df.columns if df[c].dtype.kind not in "fiub"}
    read = {p: pd.read_csv(os.path.join(OUT, f), dtype=strings, keep_default_na=False, na_values=[""])
            for p, f in paths.items()}
    return paths, read


def split_xy(df, target):
    cols = target if isinstance(target, list) else [target]
    X = df.drop(columns=cols)
    y = df[target].to_numpy() if isinstance(target, list) else df[target].to_numpy()
    return X, y


# ---------------------------------------------------------------------------------------------------
# onnx helpers

ORT_TYPES = {"tensor(float)": ("float32", np.float32), "tensor(double)": ("float64", np.float64),
             "tensor(int64)": ("int64", np.int64), "tensor(int32)": ("int32", np.int32),
             "tensor(string)": ("string", object), "tensor(bool)": ("bool", np.bool_)}


def session(path):
    import onnxruntime as ort
    return ort.InferenceSession(path, providers=["CPUExecutionProvider"])


def signature(sess):
    def shape(s):
        return [d if isinstance(d, int) else -1 for d in s]
    return [{"name": i.name, "type": ORT_TYPES[i.type][0], "shape": shape(i.shape)} for i in sess.get_inputs()]


def group_columns(sess, columns, input_map):
    """The column -> input rule (the same one mlship applies): input_map first, then an input named like a
    column takes that column, then a [N, k] input takes the next k columns not yet taken, in CSV order."""
    taken, groups = set(), {}
    inputs = sess.get_inputs()
    for i in inputs:
        if input_map and i.name in input_map:
            groups[i.name] = list(input_map[i.name])
        elif i.name in columns:
            groups[i.name] = [i.name]
        else:
            continue
        taken.update(groups[i.name])
    free = [c for c in columns if c not in taken]
    for i in inputs:
        if i.name in groups:
            continue
        k = i.shape[1] if len(i.shape) > 1 and isinstance(i.shape[1], int) else len(free)
        groups[i.name], free = free[:k], free[k:]
    return groups


def run_onnx(path, X, input_map=None):
    """onnxruntime-python's outputs on every row of X (a DataFrame of features), row by row when the model
    has a fixed batch size."""
    sess = session(path)
    groups = group_columns(sess, list(X.columns), input_map)
    feeds = {}
    for i in sess.get_inputs():
        dtype = ORT_TYPES[i.type][1]
        a = X[groups[i.name]].to_numpy()
        a = a.astype(str).astype(object) if dtype is object else a.astype(dtype)
        feeds[i.name] = a
    names = [o.name for o in sess.get_outputs()]
    batch = sess.get_inputs()[0].shape[0]
    if isinstance(batch, int):
        parts = [sess.run(None, {k: v[r:r + batch] for k, v in feeds.items()}) for r in range(0, len(X), batch)]
        outs = [np.concatenate([p[j] for p in parts]) for j in range(len(names))]
    else:
        outs = sess.run(None, feeds)
    return sess, dict(zip(names, outs)), (batch if isinstance(batch, int) else None)


def jsonable(a):
    a = np.asarray(a)
    if a.dtype.kind == "O" or a.dtype.kind == "U":
        return a.astype(str).tolist()
    return a.tolist()


# ---------------------------------------------------------------------------------------------------
# reference metrics (sklearn.metrics on onnxruntime-python's predictions)


def classification_metrics(y, labels, proba, classes):
    from sklearn import metrics as M
    out = {
        "accuracy": M.accuracy_score(y, labels),
        "balanced_accuracy": M.balanced_accuracy_score(y, labels),
        "f1_macro": M.f1_score(y, labels, average="macro"),
        "f1_micro": M.f1_score(y, labels, average="micro"),
        "f1_weighted": M.f1_score(y, labels, average="weighted"),
        "precision_macro": M.precision_score(y, labels, average="macro"),
        "recall_macro": M.recall_score(y, labels, average="macro"),
    }
    if len(classes) == 2:
        pos = classes[1]  # scikit-learn's positive class: the greater label (predict_proba[:, 1])
        out["f1"] = M.f1_score(y, labels, pos_label=pos)
        out["precision"] = M.precision_score(y, labels, pos_label=pos)
        out["recall"] = M.recall_score(y, labels, pos_label=pos)
        # ROC AUC from probabilities only: the converters' decision-score outputs have no common column order
        # (skl2onnx's binary SVC holds [d, -d] where sklearn's decision_function is d).
        if proba is not None:
            out["roc_auc"] = M.roc_auc_score(y == pos, np.asarray(proba, dtype=np.float64)[:, 1])
    if proba is not None:
        p = np.asarray(proba, dtype=np.float64)
        out["log_loss"] = M.log_loss(y, p, labels=classes)
        if len(classes) > 2:
            out["roc_auc_ovr_macro"] = M.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=classes)
            out["roc_auc_ovr_weighted"] = M.roc_auc_score(y, p, multi_class="ovr", average="weighted", labels=classes)
    return {k: float(v) for k, v in out.items()}


def regression_metrics(y, pred, target_names=None):
    from sklearn import metrics as M
    y = np.asarray(y, dtype=np.float64)
    pred = np.asarray(pred, dtype=np.float64).reshape(y.shape)
    fns = {"mse": M.mean_squared_error, "rmse": M.root_mean_squared_error, "mae": M.mean_absolute_error,
           "r2": M.r2_score, "explained_variance": M.explained_variance_score}
    if y.ndim == 1:
        out = {k: f(y, pred) for k, f in fns.items()}
        out["max_error"] = M.max_error(y, pred)
    else:
        out = {k: f(y, pred, multioutput="uniform_average") for k, f in fns.items()}
        for k, f in fns.items():
            for j, t in enumerate(target_names):
                out[f"{k}[{t}]"] = f(y[:, j], pred[:, j])
    return {k: float(v) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------------
# one entry


def entry(name, library, description, task, est, native_format, paths, read, target, onnx_file,
          classes=None, input_map=None, allow_missing=False, roles=None, native_predict=None, native_booster=None):
    """Runs onnxruntime-python on the test rows, computes the reference metrics, writes the .ort.json and
    returns the zoo.json record. roles: {"<onnx output>": "label"|"probabilities"|"scores"|"value"}."""
    Xt, yt = split_xy(read["test"], target)
    sess, outs, static_batch = run_onnx(os.path.join(OUT, onnx_file), Xt, input_map)
    ref_file = f"{name}.ort.json"
    with open(os.path.join(OUT, ref_file), "w") as f:
        json.dump({k: jsonable(v) for k, v in outs.items()}, f)
    role_of = {o: roles.get(o, "value") for o in outs}
    native_labels = None
    if task in ("binary", "multiclass"):
        label_out = next((o for o, r in role_of.items() if r == "label"), None)
        proba_out = next((o for o, r in role_of.items() if r == "probabilities"), None)
        proba = outs[proba_out] if proba_out else None
        cls = classes if classes is not None else list(range(np.asarray(proba).shape[1]))
        labels = outs[label_out] if label_out else np.asarray(cls)[np.argmax(proba, axis=1)]
        labels = np.asarray(labels).astype(str) if isinstance(cls[0], str) else np.asarray(labels)
        metrics = classification_metrics(yt, labels, proba, cls)
        native_labels = jsonable(native_predict(Xt))
    else:
        value_out = next(o for o, r in role_of.items() if r == "value")
        metrics = regression_metrics(yt, outs[value_out], target if isinstance(target, list) else None)
    native_file = None
    if est is not None:
        native_file = f"{name}.{'joblib' if native_format == 'sklearn' else 'pt'}"
        if native_format == "sklearn":
            joblib.dump(est, os.path.join(OUT, native_file))
        else:
            est.save(os.path.join(OUT, native_file))
    out_sig = [{"name": o.name, "type": o.type, "role": role_of[o.name]} for o in sess.get_outputs()]
    return {
        "name": name, "library": library, "description": description, "task": task,
        "onnx": onnx_file, "native": native_file, "native_format": native_format if est is not None else None,
        "native_booster": native_booster,
        "train": paths["train"], "test": paths["test"], "target": target,
        "features": list(Xt.columns),
        "classes": classes, "input_map": input_map, "allow_missing": allow_missing, "static_batch": static_batch,
        "inputs": signature(sess), "outputs": out_sig,
        "reference": {"outputs": ref_file, "native_labels": native_labels, "metrics": metrics,
                      "pos_label": classes[1] if task == "binary" and classes else (1 if task == "binary" else None)},
    }


def save_onnx(onx, name):
    f = f"{name}.onnx"
    with open(os.path.join(OUT, f), "wb") as fh:
        fh.write(onx.SerializeToString())
    return f


def classes_of(est):
    """classes_ JSON-typed as the model has them (ints stay ints, strings stay strings)."""
    return [c.item() if hasattr(c, "item") else c for c in est.classes_]


def float_input(n, double=False):
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType
    return [("float_input", (DoubleTensorType if double else FloatTensorType)([None, n]))]


def register_boosters():
    """XGBoost / LightGBM inside scikit-learn pipelines: onnxmltools' converters registered into skl2onnx,
    as skl2onnx's tutorials (plot_gexternal_xgboost, plot_gexternal_lightgbm) show."""
    from lightgbm import LGBMClassifier, LGBMRegressor
    from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
    from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (calculate_linear_classifier_output_shapes,
                                                  calculate_linear_regressor_output_shapes)
    from xgboost import XGBClassifier, XGBRegressor
    opts = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
    update_registered_converter(XGBClassifier, "XGBoostXGBClassifier", calculate_linear_classifier_output_shapes,
                                convert_xgboost, options=opts)
    update_registered_converter(XGBRegressor, "XGBoostXGBRegressor", calculate_linear_regressor_output_shapes,
                                convert_xgboost)
    update_registered_converter(LGBMClassifier, "LightGbmLGBMClassifier", calculate_linear_classifier_output_shapes,
                                convert_lightgbm, options=opts)
    update_registered_converter(LGBMRegressor, "LightGbmLGBMRegressor", calculate_linear_regressor_output_shapes,
                                convert_lightgbm)


# skl2onnx: the opset its converters target; ai.onnx.ml 3 is the newest skl2onnx 1.20 accepts with onnxmltools'.
OPSET = {"": 17, "ai.onnx.ml": 3}


def sk_classifier(name, description, est, X, y, library="sklearn+skl2onnx", double=False, proba=True):
    from skl2onnx import convert_sklearn
    paths, read = write_split(name, X, y)
    Xtr, ytr = split_xy(read["train"], "target")
    est.fit(Xtr.to_numpy(np.float64 if double else np.float32), ytr)
    # zipmap=False (skl2onnx's "Choose appropriate output of a classifier"): probabilities as a tensor.
    # LinearSVC's converter has no zipmap option (its second output is a tensor of scores already).
    try:
        onx = convert_sklearn(est, initial_types=float_input(Xtr.shape[1], double),
                              options={id(est): {"zipmap": False}}, target_opset=OPSET)
    except NameError:
        onx = convert_sklearn(est, initial_types=float_input(Xtr.shape[1], double), target_opset=OPSET)
    classes = classes_of(est)
    outs = [o.name for o in onx.graph.output]
    roles = {outs[0]: "label", outs[1]: "probabilities" if proba else "scores"}
    return entry(name, library, description, "binary" if len(classes) == 2 else "multiclass", est, "sklearn", paths,
                 read, "target", save_onnx(onx, name), classes=classes, roles=roles,
                 native_predict=lambda Xt: est.predict(Xt.to_numpy(np.float32)))


# ---------------------------------------------------------------------------------------------------
# the models


@model
def ct_logreg_mixed():
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    name = "ct_logreg_mixed"
    X, y = customers()
    paths, read = write_split(name, X, y)
    Xtr, ytr = split_xy(read["train"], "target")
    num, cat = ["age", "income"], ["città", "plan", "zip"]
    pipe = Pipeline([
        ("prep", ColumnTransformer([("num", StandardScaler(), num),
                                    ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])),
        ("clf", LogisticRegression(max_iter=1000)),
    ]).fit(Xtr, ytr)
    # skl2onnx's "Convert a pipeline with ColumnTransformer" example: one [None, 1] input per DataFrame
    # column, FloatTensorType for numbers and StringTensorType for strings.
    initial = [(c, StringTensorType([None, 1]) if c in cat else FloatTensorType([None, 1])) for c in Xtr.columns]
    onx = convert_sklearn(pipe, initial_types=initial, options={id(pipe): {"zipmap": False}}, target_opset=OPSET)
    return entry(name, "sklearn+skl2onnx",
                 "Pipeline(ColumnTransformer(StandardScaler on 2 numbers, OneHotEncoder on 3 string columns), "
                 "LogisticRegression); one input per column; 'zip' holds numeric-looking strings ('01000')",
                 "binary", pipe, "sklearn", paths, read, "target", save_onnx(onx, name), classes=classes_of(pipe),
                 roles={"label": "label", "probabilities": "probabilities"}, native_predict=pipe.predict)


@model
def lgbm_pipeline_mixed():
    from lightgbm import LGBMClassifier
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    register_boosters()
    name = "lgbm_pipeline_mixed"
    X, y = customers(seed=1)
    y = np.where(y == 1, "leave", "stay")
    paths, read = write_split(name, X, y)
    Xtr, ytr = split_xy(read["train"], "target")
    cat = ["città", "plan", "zip"]
    pipe = Pipeline([
        ("prep", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cat)],
                                   remainder="passthrough")),
        ("clf", LGBMClassifier(n_estimators=20, num_leaves=8, min_child_samples=5, random_state=SEED, n_jobs=1,
                               deterministic=True, force_col_wise=True, verbose=-1)),
    ]).fit(Xtr, ytr)
    initial = [(c, StringTensorType([None, 1]) if c in cat else FloatTensorType([None, 1])) for c in Xtr.columns]
    onx = convert_sklearn(pipe, initial_types=initial, options={id(pipe): {"zipmap": False}}, target_opset=OPSET)
    return entry(name, "lightgbm+onnxmltools",
                 "Pipeline(ColumnTransformer(OneHotEncoder on strings, numbers passed through), LGBMClassifier) with "
                 "string labels; onnxmltools' converter registered into skl2onnx; one input per column",
                 "binary", pipe, "sklearn", paths, read, "target", save_onnx(onx, name), classes=classes_of(pipe),
                 roles={"label": "label", "probabilities": "probabilities"}, native_predict=pipe.predict)


@model
def logreg_labels_137():
    from sklearn.linear_model import LogisticRegression
    X, y = tabular(6, n_classes=3, seed=11)
    y = np.array([1, 3, 7])[y]
    return sk_classifier("logreg_labels_137", "LogisticRegression, 3 classes labelled 1, 3, 7 (ONNX LinearClassifier, "
                         "classlabels_ints)", LogisticRegression(max_iter=1000), frame(X, [f"f{i}" for i in range(6)]), y)


@model
def sgd_labels_pm1():
    from sklearn.linear_model import SGDClassifier
    X, y = tabular(5, n_classes=2, seed=12)
    y = np.array([-1, 1])[y]
    return sk_classifier("sgd_labels_pm1", "SGDClassifier(loss='log_loss'), binary labels -1 / 1",
                         SGDClassifier(loss="log_loss", random_state=SEED, max_iter=1000, tol=1e-4),
                         frame(X, [f"x{i}" for i in range(5)]), y)


@model
def linsvc_strings():
    from sklearn.svm import LinearSVC
    X, y = tabular(4, n_classes=3, seed=13)
    y = np.array(["bird", "cat", "dog"])[y]
    return sk_classifier("linsvc_strings", "LinearSVC, 3 string classes; no probabilities (second output holds "
                         "decision scores)", LinearSVC(random_state=SEED), frame(X, ["a", "b", "c", "d"]), y, proba=False)


@model
def svc_labels_pm1():
    from sklearn.svm import SVC
    X, y = tabular(4, n_classes=2, seed=14)
    y = np.array([-1, 1])[y]
    return sk_classifier("svc_labels_pm1", "SVC (RBF), binary labels -1 / 1, no probabilities (ONNX SVMClassifier, "
                         "second output holds decision scores)", SVC(kernel="rbf"), frame(X, ["p", "q", "r", "s"]), y,
                         proba=False)


@model
def svc_strings_proba():
    from sklearn.svm import SVC
    X, y = tabular(4, n_classes=2, seed=15)
    y = np.array(["cat", "dog"])[y]
    return sk_classifier("svc_strings_proba", "SVC(probability=True), binary string labels cat / dog",
                         SVC(kernel="rbf", probability=True, random_state=SEED), frame(X, ["p", "q", "r", "s"]), y)


@model
def xgb_classifier_nan():
    import onnxmltools
    from onnxmltools.convert.common.data_types import FloatTensorType
    from xgboost import XGBClassifier
    name = "xgb_classifier_nan"
    X, y = tabular(5, n_classes=3, seed=16)
    X = X.copy()
    rng = np.random.default_rng(SEED)
    X[rng.random(X.shape) < 0.1] = np.nan  # XGBoost learns a default direction for missing values
    paths, read = write_split(name, frame(X, [f"m{i}" for i in range(5)]), y)
    Xtr, ytr = split_xy(read["train"], "target")
    est = XGBClassifier(n_estimators=15, max_depth=3, learning_rate=0.3, random_state=SEED, n_jobs=1)
    est.fit(Xtr.to_numpy(np.float32), ytr)
    # onnxmltools' README: convert_xgboost(model, initial_types=[("float_input", FloatTensorType([None, F]))])
    onx = onnxmltools.convert_xgboost(est, initial_types=[("float_input", FloatTensorType([None, 5]))])
    booster = f"{name}.ubj.json"
    est.get_booster().save_model(os.path.join(OUT, booster))
    return entry(name, "xgboost+onnxmltools", "bare XGBClassifier, 3 classes, ~10% of feature cells empty (NaN)",
                 "multiclass", est, "sklearn", paths, read, "target", save_onnx(onx, name), classes=classes_of(est),
                 allow_missing=True, roles={"label": "label", "probabilities": "probabilities"},
                 native_predict=lambda Xt: est.predict(Xt.to_numpy(np.float32)),
                 native_booster={"file": booster, "format": "xgboost"})


@model
def xgb_regressor_pipeline():
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from skl2onnx import convert_sklearn
    from xgboost import XGBRegressor
    register_boosters()
    name = "xgb_regressor_pipeline"
    X, y = tabular(4, seed=17)
    X = X.copy()
    X[np.random.default_rng(1).random(X.shape) < 0.05] = np.nan
    paths, read = write_split(name, frame(X, ["u", "v", "w", "z"]), y)
    Xtr, ytr = split_xy(read["train"], "target")
    # An imputer rather than a scaler in front of the trees: XGBoost's split points are feature values, and a
    # float32 rescale in ONNX moves some rows to the other side of a split (skl2onnx's float/double note).
    pipe = Pipeline([("impute", SimpleImputer(strategy="median")),
                     ("reg", XGBRegressor(n_estimators=20, max_depth=3, random_state=SEED, n_jobs=1))])
    pipe.fit(Xtr.to_numpy(np.float32), ytr)
    onx = convert_sklearn(pipe, initial_types=float_input(4), target_opset=OPSET)
    return entry(name, "xgboost+onnxmltools", "Pipeline(SimpleImputer, XGBRegressor) via onnxmltools' converter "
                 "registered into skl2onnx; ~5% empty cells", "regression", pipe, "sklearn", paths, read, "target",
                 save_onnx(onx, name), allow_missing=True, roles={"variable": "value"})


@model
def lgbm_regressor():
    import onnxmltools
    from lightgbm import LGBMRegressor
    from onnxmltools.convert.common.data_types import FloatTensorType
    name = "lgbm_regressor"
    X, y = tabular(6, seed=18)
    paths, read = write_split(name, frame(X, [f"r{i}" for i in range(6)]), y)
    Xtr, ytr = split_xy(read["train"], "target")
    est = LGBMRegressor(n_estimators=25, num_leaves=8, min_child_samples=5, random_state=SEED, n_jobs=1,
                        deterministic=True, force_col_wise=True, verbose=-1)
    est.fit(Xtr.to_numpy(np.float32), ytr)
    onx = onnxmltools.convert_lightgbm(est, initial_types=[("float_input", FloatTensorType([None, 6]))])
    booster = f"{name}.txt"
    est.booster_.save_model(os.path.join(OUT, booster))
    return entry(name, "lightgbm+onnxmltools", "bare LGBMRegressor (onnxmltools.convert_lightgbm)", "regression", est,
                 "sklearn", paths, read, "target", save_onnx(onx, name), roles={"variable": "value"},
                 native_booster={"file": booster, "format": "lightgbm"})


@model
def ridge_float64():
    from sklearn.linear_model import Ridge
    from skl2onnx import convert_sklearn
    name = "ridge_float64"
    X, y = tabular(5, seed=19)
    paths, read = write_split(name, frame(X, [f"d{i}" for i in range(5)]), y)
    Xtr, ytr = split_xy(read["train"], "target")
    est = Ridge(alpha=0.3).fit(Xtr.to_numpy(np.float64), ytr)
    # skl2onnx's "Issues when switching to float" tutorial: DoubleTensorType keeps the computation in double.
    onx = convert_sklearn(est, initial_types=float_input(5, double=True), target_opset=OPSET)
    return entry(name, "sklearn+skl2onnx", "Ridge with a float64 input (DoubleTensorType) and float64 output",
                 "regression", est, "sklearn", paths, read, "target", save_onnx(onx, name), roles={"variable": "value"})


@model
def rf_multioutput():
    from sklearn.ensemble import RandomForestRegressor
    from skl2onnx import convert_sklearn
    name = "rf_multioutput"
    X, y0 = tabular(4, seed=20)
    y = np.stack([y0, rounded(0.5 * X[:, 0] - 2.0 * X[:, 1] ** 2 + 0.1 * y0, 3)], axis=1)
    paths, read = write_split(name, frame(X, ["g0", "g1", "g2", "g3"]), y, target=["y0", "y1"])
    Xtr, ytr = split_xy(read["train"], ["y0", "y1"])
    est = RandomForestRegressor(n_estimators=10, max_depth=5, random_state=SEED, n_jobs=1)
    est.fit(Xtr.to_numpy(np.float32), ytr)
    onx = convert_sklearn(est, initial_types=float_input(4), target_opset=OPSET)
    return entry(name, "sklearn+skl2onnx", "RandomForestRegressor with two targets: output [N, 2]",
                 "multioutput_regression", est, "sklearn", paths, read, ["y0", "y1"], save_onnx(onx, name),
                 roles={"variable": "value"})


@model
def ridge_weird_columns():
    from sklearn.linear_model import Ridge
    from skl2onnx import convert_sklearn
    name = "ridge_weird_columns"
    X, y = tabular(5, seed=21)
    cols = ["température (°C)", 'say "hi"', "a,b", "日本語", "semi;colon 'q'"]
    paths, read = write_split(name, frame(X, cols), y)
    Xtr, ytr = split_xy(read["train"], "target")
    est = Ridge(alpha=1.0).fit(Xtr.to_numpy(np.float32), ytr)
    onx = convert_sklearn(est, initial_types=float_input(5), target_opset=OPSET)
    return entry(name, "sklearn+skl2onnx", "Ridge on columns named with unicode, double quotes, a comma, a semicolon "
                 "and single quotes (CSV-quoted header)", "regression", est, "sklearn", paths, read, "target",
                 save_onnx(onx, name), roles={"variable": "value"})


# --- torch: exported with torch.onnx.export, natives saved as TorchScript (loadable without the class) ---


def torch_export(module, args, name, input_names, output_names, dynamic):
    import torch
    f = f"{name}.onnx"
    kwargs = {}
    if dynamic:
        kwargs["dynamic_axes"] = {n: {0: "batch"} for n in input_names + output_names}
    torch.onnx.export(module, args, os.path.join(OUT, f), input_names=input_names, output_names=output_names,
                      opset_version=17, do_constant_folding=True, **kwargs)
    return f


def torch_fit(module, inputs, y, loss_fn, steps=150):
    import torch
    opt = torch.optim.Adam(module.parameters(), lr=0.02)
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(module(*inputs), y)
        loss.backward()
        opt.step()
    module.eval()
    return module


@model
def torch_fixed_batch():
    import torch
    torch.manual_seed(SEED)
    name = "torch_fixed_batch"
    X, y = tabular(6, seed=22)
    y = rounded(y / 100.0, 4)
    paths, read = write_split(name, frame(X, [f"t{i}" for i in range(6)]), y)
    Xtr, ytr = split_xy(read["train"], "target")
    net = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    xt = torch.from_numpy(Xtr.to_numpy(np.float32))
    torch_fit(net, [xt], torch.from_numpy(ytr.astype(np.float32)).reshape(-1, 1), torch.nn.functional.mse_loss)
    # The common case: torch.onnx.export(model, torch.randn(1, F), ...) without dynamic_axes -> input [1, F].
    onnx_file = torch_export(net, (torch.randn(1, 6),), name, ["input"], ["output"], dynamic=False)
    scripted = torch.jit.trace(net, torch.randn(1, 6))
    return entry(name, "torch", "MLP regressor exported with a fixed batch of 1 (no dynamic_axes): input [1, 6]",
                 "regression", scripted, "torchscript", paths, read, "target", onnx_file, roles={"output": "value"})


@model
def torch_two_inputs():
    import torch
    torch.manual_seed(SEED)
    name = "torch_two_inputs"
    X, y = tabular(5, seed=23)
    y = rounded(y / 100.0, 4)
    # CSV order: the two "extra" columns come first, the model takes (num[N, 3], extra[N, 2]): the
    # consecutive-columns rule would give num the wrong columns, so the zoo records an input_map.
    df = frame(X[:, [3, 4, 0, 1, 2]], ["e1", "e2", "x1", "x2", "x3"])
    paths, read = write_split(name, df, y)
    Xtr, ytr = split_xy(read["train"], "target")

    class TwoInputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.num = torch.nn.Linear(3, 8)
            self.extra = torch.nn.Linear(2, 8)
            self.out = torch.nn.Linear(8, 1)

        def forward(self, num, extra):
            return self.out(torch.relu(self.num(num) + self.extra(extra)))

    net = TwoInputs()
    num = torch.from_numpy(Xtr[["x1", "x2", "x3"]].to_numpy(np.float32))
    extra = torch.from_numpy(Xtr[["e1", "e2"]].to_numpy(np.float32))
    torch_fit(net, [num, extra], torch.from_numpy(ytr.astype(np.float32)).reshape(-1, 1), torch.nn.functional.mse_loss)
    onnx_file = torch_export(net, (num[:2], extra[:2]), name, ["num", "extra"], ["output"], dynamic=True)
    scripted = torch.jit.script(net)
    return entry(name, "torch", "two-input module forward(num[N, 3], extra[N, 2]), dynamic batch; CSV columns are "
                 "not in input order, hence input_map", "regression", scripted, "torchscript", paths, read, "target",
                 onnx_file, input_map={"num": ["x1", "x2", "x3"], "extra": ["e1", "e2"]}, roles={"output": "value"})


@model
def torch_softmax():
    import torch
    torch.manual_seed(SEED)
    name = "torch_softmax"
    X, y = tabular(6, n_classes=3, seed=24)
    paths, read = write_split(name, frame(X, [f"s{i}" for i in range(6)]), y)
    Xtr, ytr = split_xy(read["train"], "target")

    class SoftmaxNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))

        def forward(self, x):
            return torch.softmax(self.body(x), dim=1)

    net = SoftmaxNet()
    xt = torch.from_numpy(Xtr.to_numpy(np.float32))
    torch_fit(net, [xt], torch.from_numpy(ytr.astype(np.int64)),
              lambda p, t: torch.nn.functional.nll_loss(torch.log(p + 1e-9), t))
    onnx_file = torch_export(net, (xt[:2],), name, ["input"], ["probabilities"], dynamic=True)
    scripted = torch.jit.script(net)

    def native_predict(Xt):
        with torch.no_grad():
            return scripted(torch.from_numpy(Xt.to_numpy(np.float32))).numpy().argmax(axis=1)
    return entry(name, "torch", "softmax classifier, one output probabilities[N, 3]; labels are argmax, classes 0..2",
                 "multiclass", scripted, "torchscript", paths, read, "target", onnx_file,
                 roles={"probabilities": "probabilities"}, native_predict=native_predict)


def versions():
    from importlib.metadata import version
    out = {"python": sys.version.split()[0]}
    for d in ["numpy", "pandas", "scikit-learn", "skl2onnx", "onnx", "onnxruntime", "onnxmltools", "xgboost-cpu",
              "lightgbm"]:
        try:
            out[d] = version(d)
        except Exception:
            pass
    import torch
    out["torch"] = torch.__version__
    return out


def main(argv):
    global OUT
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    OUT = argv[0]
    os.makedirs(OUT, exist_ok=True)
    t0 = time.time()
    models, timings = [], {}
    for fn in MODELS:
        t = time.time()
        models.append(fn())
        timings[fn.__name__] = round(time.time() - t, 3)
    zoo = {"models": models, "versions": versions(), "seconds": timings, "total_seconds": round(time.time() - t0, 3)}
    for m in models:
        for k, v in m["reference"]["metrics"].items():
            if not math.isfinite(v):
                raise SystemExit(f"{m['name']}: metric {k} is {v}")
    tmp = os.path.join(OUT, "zoo.json.tmp")
    with open(tmp, "w") as f:
        json.dump(zoo, f, indent=1, ensure_ascii=False)
    os.replace(tmp, os.path.join(OUT, "zoo.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
