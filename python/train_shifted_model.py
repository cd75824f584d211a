"""A second iris model trained on shifted labels: train_shifted_model.py OUT.onnx
RandomForestClassifier fitted on test/fixtures/datasets/iris/train.csv with every label moved to the next
class (y → (y + 1) mod 3), converted with skl2onnx (no ZipMap; outputs label, probabilities). On the same
traffic it predicts a different class distribution than the fixtures' iris_rf — the canary that a
prediction-distribution analysis must abort."""
import os
import sys

import numpy as np
import pandas as pd
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import RandomForestClassifier

here = os.path.dirname(os.path.abspath(__file__))
df = pd.read_csv(os.path.join(here, "..", "test", "fixtures", "datasets", "iris", "train.csv"))
X = df.drop(columns=["target"]).to_numpy(dtype=np.float32)
y = (df["target"].to_numpy() + 1) % 3
model = RandomForestClassifier(n_estimators=15, max_depth=4, random_state=0).fit(X, y)
onx = convert_sklearn(model, initial_types=[("float_input", FloatTensorType([None, X.shape[1]]))], options={id(model): {"zipmap": False}}, target_opset=15)
with open(sys.argv[1], "wb") as f:
    f.write(onx.SerializeToString())
