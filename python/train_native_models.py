"""Trains small native models for mlship's serialize tests: train_native_models.py OUT_DIR
Writes, from the fixture datasets (test/fixtures/datasets):
  sklearn_logreg.joblib   Pipeline(StandardScaler, LogisticRegression) on breast_cancer
  sklearn_linsvc.joblib   LinearSVC on breast_cancer (decision scores, no probabilities)
  sklearn_rf.joblib       RandomForestClassifier on iris, fitted on float32 features
  sklearn_str_tree.joblib DecisionTree on an iris DataFrame with string class labels
  sklearn_ridge.pkl       Ridge on diabetes (plain pickle)
  sklearn_other_rf.joblib a different forest on iris (the "wrong model" for the broken-conversion test)
  sklearn_unsupported.joblib LabelSpreading on iris, which skl2onnx cannot convert
  netdef.py + torch_mlp.pt  a torch.nn.Module saved with torch.save (needs netdef importable)
  torch_mlp.ts            the same module as TorchScript
  torch_state_dict.pt     its state_dict only (not convertible: no architecture)
Prints JSON with the file names and library versions."""
import json
import os
import pickle
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
import torch
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "test", "fixtures", "datasets")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def xy(name):
    df = pd.read_csv(os.path.join(fixtures, name, "train.csv"))
    return df.drop(columns=["target"]).to_numpy(dtype=np.float32), df["target"].to_numpy()


X, y = xy("breast_cancer")
joblib.dump(Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=2000))]).fit(X, y), os.path.join(out, "sklearn_logreg.joblib"))
from sklearn.svm import LinearSVC  # noqa: E402  (no predict_proba: skl2onnx's second output holds decision scores)
# A bare LinearSVC: skl2onnx 1.20 cannot convert a Pipeline ending in LinearSVC ("Option 'zipmap' not in …").
joblib.dump(LinearSVC(dual=False).fit(X / X.max(axis=0), y), os.path.join(out, "sklearn_linsvc.joblib"))
X, y = xy("iris")
joblib.dump(RandomForestClassifier(n_estimators=15, max_depth=4, random_state=0).fit(X, y), os.path.join(out, "sklearn_rf.joblib"))
joblib.dump(RandomForestClassifier(n_estimators=3, max_depth=2, random_state=7).fit(X[:40], y[:40]), os.path.join(out, "sklearn_other_rf.joblib"))
from sklearn.semi_supervised import LabelSpreading  # noqa: E402  (skl2onnx has no converter for it)
joblib.dump(LabelSpreading().fit(X, y), os.path.join(out, "sklearn_unsupported.joblib"))
# Fitted on a DataFrame (feature_names_in_) with string classes: labels are strings end to end.
from sklearn.tree import DecisionTreeClassifier  # noqa: E402
iris = pd.read_csv(os.path.join(fixtures, "iris", "train.csv"))
names = np.array(["setosa", "versicolor", "virginica"])
joblib.dump(DecisionTreeClassifier(max_depth=3, random_state=0).fit(iris.drop(columns=["target"]), names[iris["target"]]),
            os.path.join(out, "sklearn_str_tree.joblib"))
X, y = xy("diabetes")
with open(os.path.join(out, "sklearn_ridge.pkl"), "wb") as f:
    pickle.dump(Ridge(alpha=0.5).fit(X, y), f)

NETDEF = '''
import torch


class DigitsNet(torch.nn.Module):
    """64 -> 24 (ReLU) -> 10, returning (logits, probabilities)."""

    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(64, 24)
        self.out = torch.nn.Linear(24, 10)

    def forward(self, x):
        logits = self.out(torch.relu(self.hidden(x / 16.0)))
        return logits, torch.softmax(logits, dim=1)
'''
with open(os.path.join(out, "netdef.py"), "w") as f:
    f.write(NETDEF)
sys.path.insert(0, out)
import netdef  # noqa: E402

torch.manual_seed(0)
X, y = xy("digits")
net = netdef.DigitsNet()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
for _ in range(60):
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(net(xt)[0], yt)
    loss.backward()
    opt.step()
net.eval()
torch.save(net, os.path.join(out, "torch_mlp.pt"))
torch.jit.script(net).save(os.path.join(out, "torch_mlp.ts"))
torch.save(net.state_dict(), os.path.join(out, "torch_state_dict.pt"))
json.dump({"sklearn": sklearn.__version__, "torch": torch.__version__, "loss": float(loss)}, sys.stdout)
