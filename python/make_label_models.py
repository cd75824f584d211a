#!/usr/bin/env python3
"""Models for the label / column / output-role correctness tests: make_label_models.py OUTDIR

Writes real models (scikit-learn + skl2onnx, LightGBM and XGBoost Booster files, torch.onnx.export and
TorchScript) and their CSVs into OUTDIR, then OUTDIR/models.json (names -> files). The tests compute
every reference value themselves (sklearn.metrics, onnxruntime-python) from these files; this script
only trains and exports. Seeded; a few seconds, most of it importing torch.

  churn.onnx        Pipeline(ColumnTransformer(OneHotEncoder(region)), LogisticRegression), one input per
                    column (age, income, region, tenure), classes 'no' / 'yes'  (skl2onnx, zipmap=False)
  churn.test.csv, churn_onlyyes.csv (only 'yes' rows), churn_caps.csv ('No' / 'Yes'),
  churn_unknown.csv (some rows 'maybe'), churn_swapped.csv (columns salary, years, region, tenure),
  churn_caps_income.csv (column Income)
  numstr.onnx       LogisticRegression on y in {'1', '2', '10'}: classes_ ['1', '10', '2'] (strings)
  tier.*            LightGBM (lgb.train) and XGBoost (xgb.train multi:softprob) Booster files trained on
                    index labels 0..2 that mean bronze, gold, silver; tier.test.csv has the names
  torch_*           torch MLPs: logits [N, 2] named `logits`; softmax [N, 2] named `output` (ONNX and
                    TorchScript); sigmoid [N, 1] named `probability`; plain [N, 1] regression `output`
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
OUT = None


def path(f):
    return os.path.join(OUT, f)


def churn():
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    rng = np.random.default_rng(7)
    n = 400
    df = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": np.round(rng.normal(50000, 15000, n), 2),
        "region": rng.choice(["north", "south", "east", "west"], n),
        "tenure": rng.integers(0, 20, n).astype(float),
    })
    z = 0.04 * (df.age - 45) + (df.income - 50000) / 20000 + (df.region == "south") * 1.2 - 0.1 * df.tenure + rng.normal(0, 1, n)
    df["churn"] = np.where(z > 0, "yes", "no")
    train, test = df.iloc[:300], df.iloc[300:]
    pipe = Pipeline([("pre", ColumnTransformer([("num", StandardScaler(), ["age", "income", "tenure"]),
                                                ("cat", OneHotEncoder(handle_unknown="ignore"), ["region"])])),
                     ("clf", LogisticRegression(max_iter=1000))]).fit(train.drop(columns="churn"), train.churn)
    # skl2onnx's "Convert a pipeline with ColumnTransformer": one [None, 1] input per column.
    initial = [("age", FloatTensorType([None, 1])), ("income", FloatTensorType([None, 1])),
               ("region", StringTensorType([None, 1])), ("tenure", FloatTensorType([None, 1]))]
    onx = convert_sklearn(pipe, initial_types=initial, options={id(pipe): {"zipmap": False}})
    with open(path("churn.onnx"), "wb") as f:
        f.write(onx.SerializeToString())
    test.to_csv(path("churn.test.csv"), index=False)
    test[test.churn == "yes"].to_csv(path("churn_onlyyes.csv"), index=False)
    test.assign(churn=test.churn.str.capitalize()).to_csv(path("churn_caps.csv"), index=False)
    unknown = test.copy()
    unknown.loc[unknown.index[:7], "churn"] = "maybe"
    unknown.to_csv(path("churn_unknown.csv"), index=False)
    # The tryout's file: income and age under other names, in another order (salary = income, years = age).
    test[["income", "age", "region", "tenure", "churn"]].rename(columns={"income": "salary", "age": "years"}) \
        .to_csv(path("churn_swapped.csv"), index=False)
    test.rename(columns={"income": "Income"}).to_csv(path("churn_caps_income.csv"), index=False)
    return {"churn": {"onnx": "churn.onnx", "classes": [str(c) for c in pipe.classes_]}}


def numstr():
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType
    X, y = make_classification(n_samples=400, n_features=5, n_informative=4, n_redundant=0, n_classes=3, random_state=3)
    X = np.round(X, 4)
    labels = np.array(["1", "2", "10"])[y]
    cols = [f"f{i}" for i in range(5)]
    df = pd.DataFrame(X, columns=cols).assign(tier=labels)
    train, test = df.iloc[:300], df.iloc[300:]
    est = LogisticRegression(max_iter=1000).fit(train[cols].to_numpy(np.float32), train.tier.to_numpy(object))
    onx = convert_sklearn(est, initial_types=[("float_input", FloatTensorType([None, 5]))], options={id(est): {"zipmap": False}})
    with open(path("numstr.onnx"), "wb") as f:
        f.write(onx.SerializeToString())
    test.to_csv(path("numstr.test.csv"), index=False)
    return {"numstr": {"onnx": "numstr.onnx", "classes": [str(c) for c in est.classes_]}}


def boosters():
    import lightgbm as lgb
    import xgboost as xgb
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=400, n_features=5, n_informative=4, n_redundant=0, n_classes=3, random_state=5)
    X = np.round(X, 4).astype(np.float32)
    names = np.array(["bronze", "gold", "silver"])
    cols = [f"f{i}" for i in range(5)]
    df = pd.DataFrame(X, columns=cols)
    df.iloc[:300].assign(tier=names[y[:300]]).to_csv(path("tier.train.csv"), index=False)
    df.iloc[300:].assign(tier=names[y[300:]]).to_csv(path("tier.test.csv"), index=False)
    # The libraries' own APIs: lgb.train / xgb.train on the index-encoded target, saved as their files.
    bst = lgb.train({"objective": "multiclass", "num_class": 3, "num_leaves": 8, "min_data_in_leaf": 5, "verbose": -1,
                     "seed": 0, "deterministic": True, "force_col_wise": True, "num_threads": 1},
                    lgb.Dataset(X[:300], label=y[:300]), num_boost_round=15)
    bst.save_model(path("tier_lgbm.txt"))
    xb = xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 3, "seed": 0, "nthread": 1},
                   xgb.DMatrix(X[:300], label=y[:300]), num_boost_round=10)
    xb.save_model(path("tier_xgb.json"))
    return {"tier": {"lightgbm": "tier_lgbm.txt", "xgboost": "tier_xgb.json", "names": names.tolist()}}


def torch_models():
    import torch
    from sklearn.datasets import make_classification, make_regression
    torch.manual_seed(0)
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, n_redundant=0, random_state=9)
    X = np.round(X, 4)
    cols = [f"v{i}" for i in range(6)]
    df = pd.DataFrame(X, columns=cols).assign(label=y)
    df.iloc[:300].to_csv(path("torch_bin.train.csv"), index=False)
    df.iloc[300:].to_csv(path("torch_bin.test.csv"), index=False)
    xt = torch.tensor(X[:300], dtype=torch.float32)
    yt = torch.tensor(y[:300])

    def fit(m, loss):
        opt = torch.optim.Adam(m.parameters(), 1e-2)
        for _ in range(150):
            opt.zero_grad()
            loss(m(xt)).backward()
            opt.step()
        return m.eval()

    def export(m, name, output):
        torch.onnx.export(m, (xt[:2],), path(name), input_names=["input"], output_names=[output],
                          dynamic_axes={"input": {0: "batch"}, output: {0: "batch"}}, opset_version=17)

    body = fit(torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2)),
               lambda o: torch.nn.functional.cross_entropy(o, yt))
    export(body, "torch_logits.onnx", "logits")

    class Softmax(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return torch.softmax(self.m(x), dim=1)
    soft = Softmax(body).eval()
    export(soft, "torch_softmax_output.onnx", "output")
    torch.jit.script(soft).save(path("torch_softmax.ts.pt"))

    sig = fit(torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1), torch.nn.Sigmoid()),
              lambda o: torch.nn.functional.binary_cross_entropy(o, yt.float()[:, None]))
    export(sig, "torch_sigmoid.onnx", "probability")
    export(sig, "torch_sigmoid_probabilities.onnx", "probabilities")
    export(sig, "torch_sigmoid_output.onnx", "output")  # unnamed: a regressor unless --task binary

    Xr, yr = make_regression(n_samples=300, n_features=6, noise=5.0, random_state=2)
    Xr = np.round(Xr, 4)
    yr = np.round(yr / 100.0, 4)
    pd.DataFrame(Xr, columns=cols).assign(y=yr).to_csv(path("torch_reg.test.csv"), index=False)
    xt = torch.tensor(Xr, dtype=torch.float32)
    reg = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    target = torch.tensor(yr, dtype=torch.float32)[:, None]
    fit(reg, lambda o: torch.nn.functional.mse_loss(o, target))
    export(reg, "torch_reg.onnx", "output")
    return {"torch": {"logits": "torch_logits.onnx", "softmax_output": "torch_softmax_output.onnx",
                      "softmax_torchscript": "torch_softmax.ts.pt", "sigmoid": "torch_sigmoid.onnx",
                      "sigmoid_probabilities": "torch_sigmoid_probabilities.onnx", "sigmoid_output": "torch_sigmoid_output.onnx", "regression": "torch_reg.onnx"}}


def main(argv):
    global OUT
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    OUT = argv[0]
    os.makedirs(OUT, exist_ok=True)
    models = {}
    for fn in (churn, numstr, boosters, torch_models):
        models.update(fn())
    tmp = path("models.json.tmp")
    with open(tmp, "w") as f:
        json.dump(models, f, indent=1)
    os.replace(tmp, path("models.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
