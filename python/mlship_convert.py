#!/usr/bin/env python3
"""mlship's converter: a native model -> ONNX, plus the native model's own predictions on a sample so
that mlship can compare them with onnxruntime's (the parity gate).

    python mlship_convert.py --input model.joblib --kind sklearn|torch|torchscript --features N \
        --sample sample.json --out-model model.onnx --report report.json \
        [--target-opset 17] [--zipmap] [--output-names a,b] [--import pkg.module] [--python-path DIR]

sample.json is {"rows": [[...], ...]} (features in model input order). The report is JSON:
    {"ok": true, "estimator": "...", "classes": [...]|null, "hasTrees": bool,
     "outputs": {"<onnx output name>": {"role": "label|probabilities|value|scores", "values": [...]}},
     "tools": {"python": "3.11.2", "scikit-learn": "...", ...}, "warnings": [...]}
or {"ok": false, "error": "<class>", "message": "...", "hint": "..."}; exit code 0 / 3.

Requirements (the workflow installs them): scikit-learn models: scikit-learn, skl2onnx, onnx, joblib,
numpy. PyTorch models: torch, onnx, numpy. Conversions follow the libraries' own documentation:
skl2onnx.convert_sklearn with a FloatTensorType([None, F]) input named float_input and, for
classifiers, options zipmap=False; torch.onnx.export with a dynamic batch axis named "batch".
"""
import argparse
import importlib
import json
import os
import platform
import sys
import traceback


class ConvertError(Exception):
    def __init__(self, code, message, hint=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def write_report(path, report):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, allow_nan=True)
    os.replace(tmp, path)


def require(module, pip_name, kind):
    try:
        return importlib.import_module(module)
    except ImportError as e:
        needs = {
            "sklearn": "scikit-learn skl2onnx onnx joblib numpy",
            "torch": "torch onnx numpy",
            "torchscript": "torch onnx numpy",
        }[kind]
        raise ConvertError(
            "missing-package",
            f"the Python package {pip_name} is not installed ({e})",
            f"Add `pip install {needs}` to the workflow before this step (versions matching the ones the model was trained with).",
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


def to_list(a):
    """JSON-friendly rows: numpy arrays of shape [N] -> scalars, [N, K] -> lists."""
    import numpy as np
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return [int(x) if a.ndim == 1 else [int(y) for y in x] for x in a]
    if a.dtype.kind == "f":
        return [float(x) if a.ndim == 1 else [float(y) for y in x] for x in a]
    return [str(x) if a.ndim == 1 else [str(y) for y in x] for x in a]


def describe_estimator(model):
    steps = getattr(model, "steps", None)
    if steps:
        return f"{type(model).__name__}({', '.join(describe_estimator(s) for _, s in steps)})"
    return type(model).__name__


def final_estimator(model):
    steps = getattr(model, "steps", None)
    return final_estimator(steps[-1][1]) if steps else model


def has_trees(model):
    names = []

    def walk(m):
        names.append(type(m).__name__)
        for _, s in getattr(m, "steps", None) or []:
            walk(s)
        for attr in ("estimator", "base_estimator"):
            if hasattr(m, attr) and getattr(m, attr) is not None and not isinstance(getattr(m, attr), str):
                walk(getattr(m, attr))

    walk(model)
    return any(("Tree" in n or "Forest" in n or "Boosting" in n or n.startswith("XGB") or n.startswith("LGBM")) for n in names)


def load_pickle(path, kind):
    joblib = require("joblib", "joblib", kind)
    try:
        return joblib.load(path)
    except (ModuleNotFoundError, AttributeError) as e:
        raise ConvertError(
            "load-failed",
            f"unpickling {path} needs code that is not importable here: {e}",
            "Install the same packages (and versions) the model was trained with, and make your own modules importable "
            "(action input python-path / --python-path, or --import your.module).",
        )
    except ValueError as e:
        if "protocol" in str(e):
            raise ConvertError("load-failed", f"{path} was pickled with a newer protocol than this Python reads: {e}",
                               "Run the conversion with the Python version the model was trained with (actions/setup-python).")
        raise ConvertError("load-failed", f"cannot load {path}: {e}")
    except Exception as e:
        raise ConvertError("load-failed", f"cannot load {path} with joblib/pickle: {type(e).__name__}: {e}",
                           "Save the estimator with joblib.dump(model, 'model.joblib') (or pickle.dump) using the same scikit-learn version.")


def convert_sklearn_model(args, X, warnings):
    import numpy as np
    require("sklearn", "scikit-learn", "sklearn")
    require("onnx", "onnx", "sklearn")
    skl2onnx = require("skl2onnx", "skl2onnx", "sklearn")
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.base import is_classifier, is_regressor

    model = load_pickle(args.input, "sklearn")
    if not hasattr(model, "predict"):
        raise ConvertError("unsupported-model", f"{args.input} holds a {type(model).__name__}, not an estimator with predict()",
                           "Save the fitted estimator or Pipeline itself.")
    classifier = is_classifier(model) or hasattr(final_estimator(model), "predict_proba") and not is_regressor(model)
    # Only classifiers with probabilities have skl2onnx's zipmap option (LinearSVC, RidgeClassifier… do not).
    options = {id(model): {"zipmap": bool(args.zipmap)}} if classifier and hasattr(final_estimator(model), "predict_proba") else None
    kwargs = {}
    if args.target_opset:
        kwargs["target_opset"] = args.target_opset  # skl2onnx picks the matching ai.onnx.ml opset
    initial_types = [("float_input", FloatTensorType([None, args.features]))]
    try:
        onx = skl2onnx.convert_sklearn(model, initial_types=initial_types, options=options, **kwargs)
    except Exception as e:
        msg = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        hint = None
        if "Unable to find a shape calculator" in str(e) or "Unable to find" in str(e) or type(e).__name__ == "MissingShapeCalculator":
            hint = (f"skl2onnx has no converter for a step of {describe_estimator(model)}. Use estimators skl2onnx supports "
                    "(https://onnx.ai/sklearn-onnx/supported.html), or register a custom converter and export to ONNX yourself, "
                    "then run serialize with format: onnx.")
        elif "zipmap" in str(e).lower():
            hint = ("skl2onnx cannot convert this classifier (it has no predict_proba) at the end of a Pipeline. "
                    "Convert the final estimator on its own, or export the model yourself with skl2onnx and use format: onnx.")
        raise ConvertError("convert-failed", f"skl2onnx could not convert {describe_estimator(model)}: {msg}", hint)
    with open(args.out_model, "wb") as f:
        f.write(onx.SerializeToString())

    Xn = X
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        try:  # fitted on a DataFrame: predict on one too (same column names, no sklearn warning)
            import pandas as pd
            Xn = pd.DataFrame(X, columns=list(names))
        except ImportError:
            warnings.append("pandas is not installed: the native model predicts on a plain array (fine, column order is the same).")
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
                # skl2onnx names it "probabilities", but without predict_proba it holds decision_function scores.
                outputs[onnx_out[1]] = {"role": "scores", "values": to_list(model.decision_function(Xn))}
        else:
            pred = np.asarray(model.predict(Xn))
            outputs[onnx_out[0]] = {"role": "value", "values": to_list(pred.reshape(len(X), -1) if pred.ndim > 1 else pred)}
    except Exception as e:
        raise ConvertError("predict-failed", f"the native model failed to predict the sample rows: {type(e).__name__}: {e}",
                           "Check that the sample CSV has the training features in training order.")
    classes = getattr(model, "classes_", None)
    return {
        "estimator": describe_estimator(model),
        "hasTrees": has_trees(model),
        "classes": to_list(classes) if classes is not None else None,
        "outputs": outputs,
        "tools": tool_versions(["scikit-learn", "skl2onnx", "onnx", "joblib", "numpy"]),
    }


def convert_torch_model(args, X, warnings):
    import numpy as np
    torch = require("torch", "torch", args.kind)
    require("onnx", "onnx", args.kind)
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
                           "(action input python-path, or import it with --import your.module), or save TorchScript "
                           "(torch.jit.script(model).save(path)) and use format: torchscript.")
    except Exception as e:
        raise ConvertError("load-failed", f"cannot load {args.input}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}",
                           "Save the whole module with torch.save(model, path) (format: torch) or TorchScript (format: torchscript).")
    if isinstance(model, dict):
        raise ConvertError("unsupported-model", f"{args.input} holds a state_dict, not a module",
                           "A state_dict has no architecture. Save the module itself: torch.save(model, path), or TorchScript.")
    if not isinstance(model, torch.nn.Module):
        raise ConvertError("unsupported-model", f"{args.input} holds a {type(model).__name__}, not a torch.nn.Module")
    model.eval()
    xt = torch.from_numpy(X)
    try:
        with torch.no_grad():
            native = model(xt)
    except Exception as e:
        raise ConvertError("predict-failed", f"the module failed on a float32 [{len(X)}, {args.features}] batch: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}",
                           "mlship feeds one float32 tensor [batch, features] in training-CSV column order. Make forward() take that "
                           "(cast the module with model.float() before saving if it holds float64 weights).")
    tuple_out = isinstance(native, (tuple, list))
    native_list = list(native) if tuple_out else [native]
    if args.output_names:
        names = args.output_names.split(",")
        if len(names) != len(native_list):
            raise ConvertError("bad-input", f"--output-names gives {len(names)} names but the model returns {len(native_list)} tensors")
    else:
        names = ["output"] if not tuple_out else [f"output_{i}" for i in range(len(native_list))]
    dynamic = {"input": {0: "batch"}}
    for n in names:
        dynamic[n] = {0: "batch"}
    kwargs = {}
    if args.target_opset:
        kwargs["opset_version"] = args.target_opset
    import inspect
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # torch >= 2.5: keep the TorchScript exporter, which honours dynamic_axes
    try:
        torch.onnx.export(model, (xt[:1],), args.out_model, input_names=["input"], output_names=names,
                          dynamic_axes=dynamic, do_constant_folding=True, **kwargs)
    except Exception as e:
        raise ConvertError("convert-failed", f"torch.onnx.export failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}",
                           "Check that forward() takes one float tensor [batch, features] and uses operators the ONNX exporter supports "
                           "(pass --target-opset for newer ones).")
    outputs = {}
    for n, t in zip(names, native_list):
        a = t.detach().cpu().numpy()
        if a.ndim == 2 and a.shape[1] == 1:
            a = a.reshape(-1)
        role = "label" if a.dtype.kind in "iu" else ("probabilities" if "prob" in n.lower() else "value")
        outputs[n] = {"role": role, "values": to_list(a)}
    return {
        "estimator": type(model).__name__,
        "hasTrees": False,
        "classes": None,
        "outputs": outputs,
        "tools": tool_versions(["torch", "onnx", "numpy"]),
    }


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--input", required=True)
    p.add_argument("--kind", required=True, choices=["sklearn", "torch", "torchscript"])
    p.add_argument("--features", required=True, type=int)
    p.add_argument("--sample", required=True)
    p.add_argument("--out-model", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--target-opset", type=int)
    p.add_argument("--zipmap", action="store_true")
    p.add_argument("--output-names")
    p.add_argument("--import", dest="imports", action="append", default=[])
    p.add_argument("--python-path", action="append", default=[])
    args = p.parse_args(argv)
    warnings = []
    try:
        for d in reversed(args.python_path or [os.getcwd()]):
            sys.path.insert(0, os.path.abspath(d))
        for m in args.imports:
            try:
                importlib.import_module(m)
            except Exception as e:
                raise ConvertError("load-failed", f"--import {m} failed: {type(e).__name__}: {e}",
                                   "Set python-path to the folder that holds your training code.")
        np = require("numpy", "numpy", args.kind)
        with open(args.sample) as f:
            rows = json.load(f)["rows"]
        X = np.asarray(rows, dtype=np.float32).reshape(len(rows), args.features)
        body = convert_sklearn_model(args, X, warnings) if args.kind == "sklearn" else convert_torch_model(args, X, warnings)
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
