"""Train the breast-cancer classifier and export it to ONNX.

    python train.py --data data/train.csv --out model.onnx

A StandardScaler + LogisticRegression pipeline on every column but `target`, exported with skl2onnx
as a float32 [N, F] input and tensor outputs (zipmap disabled), the layout mlship evaluates and serves.
"""
import argparse
import json

import numpy as np
import pandas as pd
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="data/train.csv")
    parser.add_argument("--target", default="target")
    parser.add_argument("--out", default="model.onnx")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args()

    frame = pd.read_csv(args.data)
    X = frame.drop(columns=[args.target]).to_numpy(dtype=np.float32)
    y = frame[args.target].to_numpy()
    model = make_pipeline(StandardScaler(), LogisticRegression(C=args.c, max_iter=1000))
    model.fit(X, y)
    onx = to_onnx(model, X[:1], options={id(model.steps[-1][1]): {"zipmap": False}}, target_opset=15)
    with open(args.out, "wb") as f:
        f.write(onx.SerializeToString())
    print(json.dumps({"model": args.out, "train_rows": int(len(y)), "features": int(X.shape[1])}))


if __name__ == "__main__":
    main()
