#!/usr/bin/env python3
"""mlship's converter: a native model -> ONNX, plus the native model's own predictions on a sample so
that mlship can compare them with onnxruntime's (the parity gate).

    python mlship_convert.py --input model.joblib --kind sklearn|torch|torchscript|xgboost|lightgbm \
        --schema schema.json --sample sample.json --out-model model.onnx --report report.json \
        [--input-map map.json] [--classes classes.json] [--target-opset 17] [--zipmap] [--output-names a,b] \
        [--import pkg.module] [--python-path DIR]

(--features N instead of --schema is still accepted: N number columns named f0…f{N-1}.)

schema.json  {"columns": [{"name": "age", "kind": "number"}, {"name": "city", "kind": "string"}]}: the feature
             columns in CSV order (target excluded).
sample.json  {"rows": [[35, "lyon"], [null, "paris"], ...]}: values in schema order; null = missing (NaN for
             numbers; an empty string for strings).
map.json     {"<onnx input name>": ["col", ...]}: forces how columns group into inputs (torch multi-input models;
             the keys' order is forward()'s argument order).
classes.json ["cat", "dog"] or [1, 3, 7]: class labels for models that do not carry them (a torch softmax
             classifier, an XGBoost / LightGBM Booster); default 0..K-1.

Inputs (the "per-column rule"): a scikit-learn model fitted on a DataFrame whose pipeline needs per-column
inputs (a ColumnTransformer, or string columns) gets one input per column, named after the column, with
FloatTensorType([None, 1]) for numbers and StringTensorType([None, 1]) for strings, as skl2onnx's
"Convert a pipeline with ColumnTransformer" example does; every other model gets one float32 input
[None, F] named float_input (torch: "input", dynamic batch), unless --input-map groups the columns.

The report is JSON:
    {"ok": true, "estimator": "...", "task": "classification|regression", "classes": [...]|null,
     "hasTrees": bool, "staticBatch": null|int,
     "inputs": [{"name": "age", "type": "float32", "shape": [-1, 1], "columns": ["age"]}, ...],
     "outputs": {"<onnx output name>": {"role": "label|probabilities|value|scores", "values": [...]}},
     "tools": {"python": "3.11.2", "scikit-learn": "...", ...}, "warnings": [...]}
"classes" are the native model's classes_ as it has them (ints stay ints, strings stay strings; a Booster's are
its indices 0..K-1, which --classes only names). A
classifier whose ONNX model has probabilities but no label output (a torch softmax) has its label derived by
argmax over "classes". On failure: {"ok": false, "error": "<class>", "message": "...", "hint": "..."}; exit 0 / 3.

Requirements (the workflow installs them): scikit-learn models: scikit-learn, skl2onnx, onnx, joblib, numpy
(pandas for DataFrame-fitted models; xgboost / lightgbm + onnxmltools when the model holds their estimators).
PyTorch: torch, onnx, numpy. Booster files: xgboost or lightgbm, onnxmltools, onnx, numpy. Conversions follow
the libraries' own documentation: skl2onnx.convert_sklearn with options zipmap=False for classifiers;
XGBoost / LightGBM estimators inside pipelines through onnxmltools' converters registered with
skl2onnx.update_registered_converter (skl2onnx's plot_gexternal_xgboost / plot_gexternal_lightgbm);
Boosters with onnxmltools.convert_xgboost / convert_lightgbm; torch.onnx.export with a dynamic batch axis.
"""
import argparse
import importlib
import json
import math
import os
import platform
import sys
import traceback

NEEDS = {
    "sklearn": "scikit-learn skl2onnx onnx joblib numpy pandas",
    "torch": "torch onnx numpy",
    "torchscript": "torch onnx numpy",
    "xgboost": "xgboost onnxmltools onnx numpy",
    "lightgbm": "lightgbm onnxmltools onnx numpy",
}
# ai.onnx.ml opset for models holding onnxmltools' tree converters: skl2onnx 1.20 refuses their default (5).
ML_OPSET_FOR_BOOSTERS = 3


def opt(key):
    """A reference to mlship option `key` in a message (errors.ts opt()): the CLI shows --key, an action its input."""
    return "\u2983" + key + "\u2984"


class ConvertError(Exception):
    def __init__(self, code, message, hint=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def write_report(path, report):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, allow_nan=True, ensure_ascii=False)
    os.replace(tmp, path)


def require(module, pip_name, kind):
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ConvertError(
            "missing-package",
            f"the Python package {pip_name} is not installed ({e})",
            f"Add `pip install {NEEDS[kind]}` to the workflow before this step (versions matching the ones the model was trained with).",
        )


def version_of(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:
        return None


def tool_versions(dists):
    out = {"python": platform.python_version()}
    for d in dists:
        v = version_of(d)
        if v:
            out[d] = v
    return out


def first_line(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def to_list(a):
    """JSON-friendly rows: numpy arrays of shape [N] -> scalars, [N, K] -> lists; ints stay ints, strings strings."""
    import numpy as np
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        conv = int
    elif a.dtype.kind == "f":
        conv = float
    else:
        conv = str
    if a.ndim == 1:
        return [conv(x) for x in a]
    return [[conv(y) for y in x] for x in a.reshape(len(a), -1)]


# ---------------------------------------------------------------------------------------------------
# the sample


class Sample:
    """The parity sample in schema order: numbers as float32 (NaN where null), strings as str."""

    def __init__(self, columns, rows, warnings):
        import numpy as np
        self.columns = columns
        self.names = [c["name"] for c in columns]
        self.kinds = [c["kind"] for c in columns]
        self.n = len(rows)
        self.values = {}
        blanks = {}
        for j, (name, kind) in enumerate(zip(self.names, self.kinds)):
            col = []
            for i, row in enumerate(rows):
                v = row[j]
                if kind == "number":
                    if v is None:
                        col.append(math.nan)
                    elif isinstance(v, bool) or not isinstance(v, (int, float)):
                        raise ConvertError("bad-input", f"sample row {i + 1}, column {name!r}: {v!r} is not a number",
                                           "The schema says this column holds numbers: fix the schema (kind: string) or the sample.")
                    else:
                        col.append(float(v))
                else:
                    if v is None:
                        blanks[name] = blanks.get(name, 0) + 1
                        col.append("")
                    else:
                        col.append(v if isinstance(v, str) else json.dumps(v) if not isinstance(v, (int, float)) else format_number(v))
            self.values[name] = np.asarray(col, dtype=np.float32) if kind == "number" else np.asarray(col, dtype=object)
        for name, k in blanks.items():
            warnings.append(f"column {name!r}: {k} empty cells in the sample are passed as empty strings to both models.")

    def matrix(self, cols=None):
        import numpy as np
        cols = cols or self.names
        strings = [c for c in cols if self.kinds[self.names.index(c)] != "number"]
        if strings:
            raise ConvertError("bad-input", f"string column(s) {', '.join(map(repr, strings))} cannot feed a float input",
                               "Encode them in the model (e.g. a ColumnTransformer with OneHotEncoder, fitted on a DataFrame) "
                               "or drop them from the features.")
        return np.stack([self.values[c] for c in cols], axis=1) if cols else np.zeros((self.n, 0), dtype=np.float32)

    def frame(self, cols=None, rename=None):
        import pandas as pd
        cols = cols or self.names
        return pd.DataFrame({(rename or {}).get(c, c): self.values[c] for c in cols})


def format_number(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def load_schema(args):
    if args.schema:
        try:
            with open(args.schema) as f:
                schema = json.load(f)
        except Exception as e:
            raise ConvertError("bad-input", f"cannot read the schema {args.schema}: {first_line(e)}")
        cols = schema.get("columns") if isinstance(schema, dict) else None
        if not isinstance(cols, list) or not cols:
            raise ConvertError("bad-input", f"{args.schema} has no \"columns\" list",
                               'Write {"columns": [{"name": "age", "kind": "number"}, {"name": "city", "kind": "string"}]}.')
        seen = set()
        for i, c in enumerate(cols):
            if not isinstance(c, dict) or not isinstance(c.get("name"), str) or c.get("kind") not in ("number", "string"):
                raise ConvertError("bad-input", f"{args.schema}: column {i + 1} is {c!r}",
                                   'Each column is {"name": "<column>", "kind": "number"|"string"}.')
            if c["name"] in seen:
                raise ConvertError("bad-input", f"{args.schema}: column {c['name']!r} appears twice")
            seen.add(c["name"])
        return [{"name": c["name"], "kind": c["kind"]} for c in cols]
    return [{"name": f"f{i}", "kind": "number"} for i in range(args.features)]


def load_sample(args, columns, warnings):
    try:
        with open(args.sample) as f:
            rows = json.load(f)["rows"]
    except Exception as e:
        raise ConvertError("bad-input", f"cannot read the sample {args.sample}: {first_line(e)}", 'Write {"rows": [[...], ...]}.')
    if not rows:
        raise ConvertError("bad-input", f"{args.sample} has no rows", "The parity gate needs at least one sample row.")
    for i, r in enumerate(rows):
        if not isinstance(r, list) or len(r) != len(columns):
            raise ConvertError("bad-input", f"sample row {i + 1} has {len(r) if isinstance(r, list) else 'no'} values, the schema {len(columns)} columns",
                               "Give one value per schema column, in schema order (null for a missing one).")
    return Sample(columns, rows, warnings)


def load_json_option(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except Exception as e:
        raise ConvertError("bad-input", f"cannot read the {what} {path}: {first_line(e)}")


def load_input_map(args, sample):
    if not args.input_map:
        return None
    m = load_json_option(args.input_map, "input map")
    if not isinstance(m, dict) or not m or not all(isinstance(v, list) and v and all(isinstance(c, str) for c in v) for v in m.values()):
        raise ConvertError("bad-input", f"{args.input_map} is not an input map", 'Write {"<input name>": ["col", ...], ...}.')
    used = {}
    for name, cols in m.items():
        for c in cols:
            if c not in sample.names:
                raise ConvertError("bad-input", f"{args.input_map}: input {name!r} names column {c!r}, which is not in the schema",
                                   f"The schema's columns are: {', '.join(sample.names)}.")
            if c in used:
                raise ConvertError("bad-input", f"{args.input_map}: column {c!r} is given to both {used[c]!r} and {name!r}")
            used[c] = name
    return m


def load_classes(args):
    if not args.classes:
        return None
    c = load_json_option(args.classes, "classes")
    if not isinstance(c, list) or not c or not all(isinstance(x, (int, str)) and not isinstance(x, bool) for x in c):
        raise ConvertError("bad-input", f"{args.classes} is not a list of class labels", 'Write ["cat", "dog"] or [1, 3, 7].')
    return c


# ---------------------------------------------------------------------------------------------------
# onnx graph facts


TYPE_NAMES = {1: "float32", 2: "uint8", 3: "int8", 5: "int16", 6: "int32", 7: "int64", 8: "string", 9: "bool",
              10: "float16", 11: "float64", 12: "uint32", 13: "uint64"}


def graph_inputs(onx, columns_of):
    out = []
    for i in onx.graph.input:
        t = i.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim]
        out.append({"name": i.name, "type": TYPE_NAMES.get(t.elem_type, str(t.elem_type)), "shape": shape,
                    "columns": columns_of.get(i.name, [])})
    return out


def static_batch(inputs):
    dims = {i["shape"][0] for i in inputs if i["shape"]}
    fixed = [d for d in dims if d != -1]
    return fixed[0] if fixed else None


def output_width(onx, name):
    for o in onx.graph.output:
        if o.name == name and o.type.HasField("tensor_type"):
            dims = o.type.tensor_type.shape.dim
            if len(dims) >= 2 and dims[1].HasField("dim_value"):
                return dims[1].dim_value
    return None


# ---------------------------------------------------------------------------------------------------
# scikit-learn (and XGBoost / LightGBM estimators, bare or in pipelines)


def describe_estimator(model):
    steps = getattr(model, "steps", None)
    if steps:
        return f"{type(model).__name__}({', '.join(describe_estimator(s) for _, s in steps)})"
    return type(model).__name__


def final_estimator(model):
    steps = getattr(model, "steps", None)
    return final_estimator(steps[-1][1]) if steps else model


def walk(model):
    """Every estimator inside model: pipeline steps, ColumnTransformer / FeatureUnion parts, meta-estimators."""
    yield model
    for _, s in getattr(model, "steps", None) or []:
        yield from walk(s)
    for part in getattr(model, "transformers_", None) or getattr(model, "transformer_list", None) or []:
        if len(part) >= 2 and not isinstance(part[1], str):
            yield from walk(part[1])
    for attr in ("estimator", "base_estimator"):
        sub = getattr(model, attr, None)
        if sub is not None and not isinstance(sub, str):
            yield from walk(sub)


def has_trees(model):
    names = [type(m).__name__ for m in walk(model)]
    return any(("Tree" in n or "Forest" in n or "Boosting" in n or n.startswith("XGB") or n.startswith("LGBM")) for n in names)


def booster_libraries(model):
    libs = set()
    for m in walk(model):
        mod = type(m).__module__.split(".")[0]
        if mod in ("xgboost", "lightgbm"):
            libs.add(mod)
    return libs


def register_booster_converters(libs):
    """onnxmltools' converters registered into skl2onnx, as skl2onnx's tutorials show."""
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (calculate_linear_classifier_output_shapes,
                                                  calculate_linear_regressor_output_shapes)
    opts = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
    need = "onnxmltools (and the booster library)"
    if "xgboost" in libs:
        xgb = require("xgboost", "xgboost", "sklearn")
        conv = require("onnxmltools.convert.xgboost.operator_converters.XGBoost", need, "sklearn").convert_xgboost
        update_registered_converter(xgb.XGBClassifier, "XGBoostXGBClassifier", calculate_linear_classifier_output_shapes, conv, options=opts)
        update_registered_converter(xgb.XGBRegressor, "XGBoostXGBRegressor", calculate_linear_regressor_output_shapes, conv)
    if "lightgbm" in libs:
        lgb = require("lightgbm", "lightgbm", "sklearn")
        conv = require("onnxmltools.convert.lightgbm.operator_converters.LightGbm", need, "sklearn").convert_lightgbm
        update_registered_converter(lgb.LGBMClassifier, "LightGbmLGBMClassifier", calculate_linear_classifier_output_shapes, conv, options=opts)
        update_registered_converter(lgb.LGBMRegressor, "LightGbmLGBMRegressor", calculate_linear_regressor_output_shapes, conv)


def load_pickle(path, kind):
    joblib = require("joblib", "joblib", kind)
    try:
        return joblib.load(path)
    except (ModuleNotFoundError, AttributeError) as e:
        raise ConvertError(
            "load-failed",
            f"unpickling {path} needs code that is not importable here: {e}",
            "Install the same packages (and versions) the model was trained with, and make your own modules importable "
            f"({opt('python-path')}, or {opt('import')} your.module).",
        )
    except ValueError as e:
        if "protocol" in str(e):
            raise ConvertError("load-failed", f"{path} was pickled with a newer protocol than this Python reads: {e}",
                               "Run the conversion with the Python version the model was trained with (actions/setup-python).")
        raise ConvertError("load-failed", f"cannot load {path}: {e}")
    except Exception as e:
        raise ConvertError("load-failed", f"cannot load {path} with joblib/pickle: {type(e).__name__}: {e}",
                           "Save the estimator with joblib.dump(model, 'model.joblib') (or pickle.dump) using the same scikit-learn version.")


def sklearn_input_groups(model, sample, input_map, args):
    """[(input name, [columns], kind)] by the per-column rule (module docstring); checks the schema against the
    model's own feature names / count."""
    names = getattr(model, "feature_names_in_", None)
    names = [str(n) for n in names] if names is not None else None
    n_in = getattr(model, "n_features_in_", None)
    if input_map:
        groups = []
        for name, cols in input_map.items():
            kinds = {sample.kinds[sample.names.index(c)] for c in cols}
            if len(kinds) > 1:
                raise ConvertError("bad-input", f"input-map: input {name!r} mixes number and string columns",
                                   "An ONNX input has one type: give string and number columns separate inputs.")
            groups.append((name, cols, kinds.pop()))
        return groups, names
    per_column = names is not None and (any(type(m).__name__ == "ColumnTransformer" for m in walk(model))
                                        or any(sample.kinds[sample.names.index(c)] == "string" for c in names if c in sample.names))
    if per_column:
        missing = [c for c in names if c not in sample.names]
        if missing:
            raise ConvertError("bad-input", f"the model was fitted on a DataFrame with column(s) {', '.join(map(repr, missing))} that the schema does not have "
                               f"(schema: {', '.join(sample.names)})",
                               f"Pass the training CSV ({opt('features-from')}) with the columns the model was fitted on.")
        extra = [c for c in sample.names if c not in names]
        if extra:
            args.warnings.append(f"column(s) {', '.join(map(repr, extra))} are not model features: not given to the model.")
        return [(c, [c], sample.kinds[sample.names.index(c)]) for c in names], names
    if n_in is not None and n_in != len(sample.names):
        raise ConvertError("bad-input", f"the model takes {n_in} features but the schema has {len(sample.names)} columns ({', '.join(sample.names[:8])}{', …' if len(sample.names) > 8 else ''})",
                           "The features are the training CSV's columns minus the target, in training order: check the target column and the CSV.")
    if names is not None and args.schema and names != sample.names:
        args.warnings.append(f"the model was fitted on columns {names[:6]}… but the schema names {sample.names[:6]}…: columns are matched by position.")
    return [("float_input", list(sample.names), "number")], names


def convert_sklearn_model(args, sample, input_map, warnings):
    import numpy as np
    require("sklearn", "scikit-learn", "sklearn")
    require("onnx", "onnx", "sklearn")
    skl2onnx = require("skl2onnx", "skl2onnx", "sklearn")
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    from sklearn.base import is_classifier, is_regressor

    model = load_pickle(args.input, "sklearn")
    if not hasattr(model, "predict"):
        raise ConvertError("unsupported-model", f"{args.input} holds a {type(model).__name__}, not an estimator with predict()",
                           "Save the fitted estimator or Pipeline itself.")
    libs = booster_libraries(model)
    if libs:
        register_booster_converters(libs)
    classifier = is_classifier(model) or hasattr(final_estimator(model), "predict_proba") and not is_regressor(model)
    groups, fitted_names = sklearn_input_groups(model, sample, input_map, args)
    initial_types = [(name, (StringTensorType if kind == "string" else FloatTensorType)([None, len(cols)])) for name, cols, kind in groups]
    kwargs = {}
    if libs:
        from skl2onnx import get_latest_tested_opset_version
        kwargs["target_opset"] = {"": args.target_opset or min(get_latest_tested_opset_version(), 21), "ai.onnx.ml": ML_OPSET_FOR_BOOSTERS}
    elif args.target_opset:
        kwargs["target_opset"] = args.target_opset  # skl2onnx picks the matching ai.onnx.ml opset

    def convert(options):
        return skl2onnx.convert_sklearn(model, initial_types=initial_types, options=options, **kwargs)
    try:
        if classifier:
            try:
                onx = convert({id(model): {"zipmap": bool(args.zipmap)}})
            except NameError as e:  # LinearSVC, RidgeClassifier…: no zipmap option (their scores are a tensor already)
                if "zipmap" not in str(e):
                    raise
                onx = convert(None)
        else:
            onx = convert(None)
    except Exception as e:
        msg = first_line(e)
        hint = None
        if "Unable to find a shape calculator" in str(e) or "Unable to find" in str(e) or type(e).__name__ == "MissingShapeCalculator":
            hint = (f"skl2onnx has no converter for a step of {describe_estimator(model)}. Use estimators skl2onnx supports "
                    "(https://onnx.ai/sklearn-onnx/supported.html), or register a custom converter and export to ONNX yourself, "
                    "then run serialize with format: onnx.")
        elif "zipmap" in str(e).lower():
            hint = ("skl2onnx cannot convert this classifier (it has no predict_proba) at the end of a Pipeline. "
                    "Convert the final estimator on its own, or export the model yourself with skl2onnx and use format: onnx.")
        elif "Unable to find column name" in str(e):
            hint = ("The pipeline selects columns by name that are not inputs here: fit it on a DataFrame with the training CSV's "
                    "column names and pass the CSV's header as the schema.")
        raise ConvertError("convert-failed", f"skl2onnx could not convert {describe_estimator(model)}: {msg}", hint)
    with open(args.out_model, "wb") as f:
        f.write(onx.SerializeToString())

    # The native model predicts on what it was fitted on: a DataFrame with its column names, else an array.
    used = [c for _, cols, _ in groups for c in cols]
    if fitted_names is not None:
        require("pandas", "pandas", "sklearn")
        if set(fitted_names) <= set(used):
            Xn = sample.frame(used)[fitted_names]
        else:  # one float input: the model's names, by position
            Xn = sample.frame(used, dict(zip(used, fitted_names)))
    else:
        Xn = sample.matrix(used)
    outputs = {}
    onnx_out = [o.name for o in onx.graph.output]
    try:
        if classifier:
            outputs[onnx_out[0]] = {"role": "label", "values": to_list(model.predict(Xn))}
            if len(onnx_out) > 1 and hasattr(model, "predict_proba"):
                if args.zipmap:
                    warnings.append("ZipMap output: probabilities are a sequence of maps that onnxruntime-node cannot read; only labels are compared.")
                else:
                    outputs[onnx_out[1]] = {"role": "probabilities", "values": to_list(model.predict_proba(Xn))}
            elif len(onnx_out) > 1 and hasattr(model, "decision_function"):
                # skl2onnx names it "probabilities", but without predict_proba it holds decision scores.
                scores = np.asarray(model.decision_function(Xn))
                width = output_width(onx, onnx_out[1])
                svm = type(final_estimator(model)).__name__ in ("SVC", "NuSVC")
                if svm or (scores.ndim == 1 and width not in (None, 1)):
                    warnings.append(f"{onnx_out[1]}: decision scores are not compared (skl2onnx's {type(final_estimator(model)).__name__} "
                                    "scores are laid out differently from decision_function); labels are.")
                else:
                    outputs[onnx_out[1]] = {"role": "scores", "values": to_list(scores.reshape(sample.n, -1) if width == 1 else scores)}
        else:
            pred = np.asarray(model.predict(Xn))
            outputs[onnx_out[0]] = {"role": "value", "values": to_list(pred.reshape(sample.n, -1) if pred.ndim > 1 else pred)}
    except ConvertError:
        raise
    except Exception as e:
        raise ConvertError("predict-failed", f"the native model failed to predict the sample rows: {first_line(e)}",
                           "Check that the sample CSV has the training features in training order.")
    classes = getattr(model, "classes_", None) if classifier else None
    columns_of = {name: cols for name, cols, _ in groups}
    inputs = graph_inputs(onx, columns_of)
    if [i["name"] for i in inputs] != [g[0] for g in groups]:  # skl2onnx renamed an input: map by position
        for i, g in zip(inputs, groups):
            i["columns"] = g[1]
    dists = ["scikit-learn", "skl2onnx", "onnx", "joblib", "numpy", "pandas"] + sorted(libs) + (["onnxmltools"] if libs else [])
    return {
        "estimator": describe_estimator(model),
        "task": "classification" if classifier else "regression",
        "hasTrees": has_trees(model),
        "classes": to_list(classes) if classes is not None else None,
        "inputs": inputs,
        "staticBatch": static_batch(inputs),
        "outputs": outputs,
        "tools": tool_versions(dists),
    }


# ---------------------------------------------------------------------------------------------------
# XGBoost / LightGBM Booster files


def classifier_outputs(proba, classes, onnx_out, warnings):
    """label (argmax) + probabilities [N, K] for a booster classifier. A Booster knows only the class
    indices 0..K-1 (onnxmltools' ONNX labels them so): those are its classes and its labels; --classes
    names them (checked for the count here, recorded by mlship as the package's class labels)."""
    import numpy as np
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim == 1:  # binary: P(class 1)
        proba = np.stack([1.0 - proba, proba], axis=1)
    k = proba.shape[1]
    if classes is not None and len(classes) != k:
        raise ConvertError("bad-input", f"{opt('class-labels')} gives {len(classes)} labels but the model has {k} classes")
    cls = list(range(k))
    labels = [int(j) for j in proba.argmax(axis=1)]
    return {onnx_out[0]: {"role": "label", "values": labels}, onnx_out[1]: {"role": "probabilities", "values": to_list(proba)}}, cls


def convert_booster(args, sample, input_map, warnings):
    import numpy as np
    require("onnx", "onnx", args.kind)
    onnxmltools = require("onnxmltools", "onnxmltools", args.kind)
    from onnxmltools.convert.common.data_types import FloatTensorType
    if input_map:
        raise ConvertError("bad-input", f"{opt('input-map')} is not supported for {args.kind} Booster files (one float input)")
    X = sample.matrix()
    initial = [("float_input", FloatTensorType([None, X.shape[1]]))]
    opset = {"target_opset": args.target_opset} if args.target_opset else {}
    classes = load_classes(args)
    if args.kind == "xgboost":
        xgb = require("xgboost", "xgboost", "xgboost")
        try:
            bst = xgb.Booster()
            bst.load_model(args.input)
        except Exception as e:
            raise ConvertError("load-failed", f"cannot load {args.input} as an XGBoost model: {first_line(e)}",
                               "Save it with booster.save_model('model.json') (or model.ubj); a pickled XGBClassifier is format sklearn.")
        nf = bst.num_features()
        objective = json.loads(bst.save_config())["learner"]["objective"]["name"]
        estimator = f"xgboost.Booster({objective})"
    else:
        lgb = require("lightgbm", "lightgbm", "lightgbm")
        try:
            bst = lgb.Booster(model_file=args.input)
        except Exception as e:
            raise ConvertError("load-failed", f"cannot load {args.input} as a LightGBM model: {first_line(e)}",
                               "Save it with booster.save_model('model.txt'); a pickled LGBMClassifier is format sklearn.")
        nf = bst.num_feature()
        objective = str(bst.dump_model().get("objective", "")).split(" ")[0]
        estimator = f"lightgbm.Booster({objective})"
    if nf != X.shape[1]:
        raise ConvertError("bad-input", f"the model takes {nf} features but the schema has {X.shape[1]} columns",
                           "The features are the training CSV's columns minus the target, in training order.")
    is_classifier = objective.startswith(("binary", "multi", "reg:logistic")) or objective in ("multiclass", "multiclassova", "softmax")
    if objective in ("multi:softmax",):
        raise ConvertError("unsupported-model", "objective multi:softmax predicts labels only",
                           "Train with objective multi:softprob (XGBClassifier's default) so that probabilities can be compared.")
    try:
        if args.kind == "xgboost":
            onx = onnxmltools.convert_xgboost(bst, initial_types=initial, **opset)
            native = bst.predict(xgb.DMatrix(X, missing=np.nan))
        else:
            onx = onnxmltools.convert_lightgbm(bst, initial_types=initial, zipmap=False, **opset)
            native = bst.predict(X)
    except ConvertError:
        raise
    except Exception as e:
        raise ConvertError("convert-failed", f"onnxmltools could not convert {estimator}: {first_line(e)}")
    with open(args.out_model, "wb") as f:
        f.write(onx.SerializeToString())
    onnx_out = [o.name for o in onx.graph.output]
    if is_classifier:
        outputs, cls = classifier_outputs(native, classes, onnx_out, warnings)
    else:
        outputs, cls = {onnx_out[0]: {"role": "value", "values": to_list(np.asarray(native).reshape(sample.n, -1) if np.ndim(native) > 1 else native)}}, None
    inputs = graph_inputs(onx, {"float_input": list(sample.names)})
    return {
        "estimator": estimator, "task": "classification" if is_classifier else "regression", "hasTrees": True,
        "classes": cls, "inputs": inputs, "staticBatch": static_batch(inputs), "outputs": outputs,
        "tools": tool_versions([args.kind, "onnxmltools", "onnx", "numpy"]),
    }


# ---------------------------------------------------------------------------------------------------
# PyTorch


def is_probabilities(a):
    import numpy as np
    return (a.dtype.kind == "f" and a.ndim == 2 and a.shape[1] >= 2 and np.all(a >= -1e-6) and np.all(a <= 1 + 1e-6)
            and np.allclose(a.sum(axis=1), 1.0, atol=1e-4))


def convert_torch_model(args, sample, input_map, warnings):
    import numpy as np
    torch = require("torch", "torch", args.kind)
    require("onnx", "onnx", args.kind)
    import onnx
    try:
        if args.kind == "torchscript":
            model = torch.jit.load(args.input, map_location="cpu")
        else:
            try:
                model = torch.load(args.input, map_location="cpu", weights_only=False)
            except TypeError:
                model = torch.load(args.input, map_location="cpu")
    except (ModuleNotFoundError, AttributeError) as e:
        raise ConvertError("load-failed", f"torch.load({args.input}) needs the model's class, which is not importable here: {e}",
                           "A module saved with torch.save(model) is a pickle of your class: make its module importable "
                           f"({opt('python-path')}, or import it with {opt('import')} your.module), or save TorchScript "
                           f"(torch.jit.script(model).save(path)) and use {opt('format')} torchscript.")
    except Exception as e:
        raise ConvertError("load-failed", f"cannot load {args.input}: {first_line(e)}",
                           "Save the whole module with torch.save(model, path) (format: torch) or TorchScript (format: torchscript).")
    if isinstance(model, dict):
        raise ConvertError("unsupported-model", f"{args.input} holds a state_dict, not a module",
                           "A state_dict has no architecture. Save the module itself: torch.save(model, path), or TorchScript.")
    if not isinstance(model, torch.nn.Module):
        raise ConvertError("unsupported-model", f"{args.input} holds a {type(model).__name__}, not a torch.nn.Module")
    model.eval()
    groups = list(input_map.items()) if input_map else [("input", list(sample.names))]
    tensors = [torch.from_numpy(np.ascontiguousarray(sample.matrix(cols))) for _, cols in groups]
    shapes = ", ".join(f"{name} float32 [{sample.n}, {len(cols)}]" for name, cols in groups)
    try:
        with torch.no_grad():
            native = model(*tensors)
    except Exception as e:
        raise ConvertError("predict-failed", f"the module failed on {shapes}: {first_line(e)}",
                           "mlship feeds float32 tensors [batch, k]: one `input` with every feature in training-CSV column order, "
                           f"or one per {opt('input-map')} entry in forward()'s argument order. Make forward() take that "
                           "(cast the module with model.float() before saving if it holds float64 weights).")
    tuple_out = isinstance(native, (tuple, list))
    native_list = list(native) if tuple_out else [native]
    if args.output_names:
        names = args.output_names.split(",")
        if len(names) != len(native_list):
            raise ConvertError("bad-input", f"{opt('output-names')} gives {len(names)} names but the model returns {len(native_list)} tensors")
    else:
        names = ["output"] if not tuple_out else [f"output_{i}" for i in range(len(native_list))]
    input_names = [name for name, _ in groups]
    if len(set(input_names) & set(names)):
        raise ConvertError("bad-input", f"input and output names overlap: {sorted(set(input_names) & set(names))}")
    dynamic = {n: {0: "batch"} for n in input_names + names}
    kwargs = {}
    if args.target_opset:
        kwargs["opset_version"] = args.target_opset
    import inspect
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # torch >= 2.5: keep the TorchScript exporter, which honours dynamic_axes
    try:
        torch.onnx.export(model, tuple(t[:1] for t in tensors), args.out_model, input_names=input_names, output_names=names,
                          dynamic_axes=dynamic, do_constant_folding=True, **kwargs)
    except Exception as e:
        raise ConvertError("convert-failed", f"torch.onnx.export failed: {first_line(e)}",
                           "Check that forward() takes float tensors [batch, k] and uses operators the ONNX exporter supports "
                           f"(pass {opt('target-opset')} for newer ones).")
    arrays = [t.detach().cpu().numpy() for t in native_list]
    outputs, prob_width = {}, None
    for n, a in zip(names, arrays):
        if a.dtype.kind in "iu":
            role = "label"
        elif "prob" in n.lower() or is_probabilities(a):
            role, prob_width = "probabilities", a.shape[1] if a.ndim == 2 else None
        else:
            role = "value"
        outputs[n] = {"role": role, "a": a}
    for o in outputs.values():  # logits beside probabilities are scores
        if o["role"] == "value" and prob_width and o["a"].ndim == 2 and o["a"].shape[1] == prob_width:
            o["role"] = "scores"
    classes = load_classes(args)
    classification = any(o["role"] in ("label", "probabilities") for o in outputs.values())
    if prob_width:
        if classes is not None and len(classes) != prob_width:
            raise ConvertError("bad-input", f"{opt('class-labels')} gives {len(classes)} labels but the probabilities have {prob_width} columns")
        classes = classes if classes is not None else list(range(prob_width))
    elif classes is not None and not classification:
        warnings.append(f"{opt('class-labels')} is ignored: the module has no probabilities or label output.")
        classes = None
    report_outputs = {}
    for n, o in outputs.items():
        a = o["a"]
        if a.ndim == 2 and a.shape[1] == 1:
            a = a.reshape(-1)
        report_outputs[n] = {"role": o["role"], "values": to_list(a)}
    onx = onnx.load(args.out_model)
    inputs = graph_inputs(onx, {name: cols for name, cols in groups})
    return {
        "estimator": type(model).__name__,
        "task": "classification" if classification else "regression",
        "hasTrees": False,
        "classes": classes,
        "inputs": inputs,
        "staticBatch": static_batch(inputs),
        "outputs": report_outputs,
        "tools": tool_versions(["torch", "onnx", "numpy"]),
    }


# ---------------------------------------------------------------------------------------------------


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--input", required=True)
    p.add_argument("--kind", required=True, choices=["sklearn", "torch", "torchscript", "xgboost", "lightgbm"])
    cols = p.add_mutually_exclusive_group(required=True)
    cols.add_argument("--schema", help="JSON {columns: [{name, kind: number|string}]}: the feature columns in CSV order")
    cols.add_argument("--features", type=int, help="(older protocol) N number columns")
    p.add_argument("--sample", required=True)
    p.add_argument("--input-map")
    p.add_argument("--classes")
    p.add_argument("--out-model", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--target-opset", type=int)
    p.add_argument("--zipmap", action="store_true")
    p.add_argument("--output-names")
    p.add_argument("--import", dest="imports", action="append", default=[])
    p.add_argument("--python-path", action="append", default=[])
    args = p.parse_args(argv)
    warnings = []
    args.warnings = warnings
    try:
        for d in reversed(args.python_path or [os.getcwd()]):
            sys.path.insert(0, os.path.abspath(d))
        for m in args.imports:
            try:
                importlib.import_module(m)
            except Exception as e:
                raise ConvertError("load-failed", f"{opt('import')} {m} failed: {type(e).__name__}: {e}",
                                   "Set python-path to the folder that holds your training code.")
        require("numpy", "numpy", args.kind)
        columns = load_schema(args)
        sample = load_sample(args, columns, warnings)
        input_map = load_input_map(args, sample)
        if args.kind == "sklearn":
            body = convert_sklearn_model(args, sample, input_map, warnings)
        elif args.kind in ("xgboost", "lightgbm"):
            body = convert_booster(args, sample, input_map, warnings)
        else:
            body = convert_torch_model(args, sample, input_map, warnings)
        write_report(args.report, {"ok": True, **body, "warnings": warnings})
        return 0
    except ConvertError as e:
        write_report(args.report, {"ok": False, "error": e.code, "message": e.message, "hint": e.hint})
        return 3
    except Exception as e:
        traceback.print_exc()
        write_report(args.report, {"ok": False, "error": "internal", "message": f"{type(e).__name__}: {e}"})
        return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
