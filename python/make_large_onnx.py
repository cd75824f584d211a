"""A large ONNX model for `npm run bench -- package`: make_large_onnx.py OUT_DIR [HIDDEN]
An MLP 512 -> HIDDEN -> HIDDEN -> 10 (Gemm, Relu, Softmax) with N(0, 0.02) float32 weights from
numpy's default_rng(0) — about 4·HIDDEN² bytes (64 MiB at HIDDEN=4096) — plus sample.csv with 8 rows
of 512 features and a target column. Built with onnx.helper (opset 13). Prints the file sizes as JSON."""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
hidden = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
f = 512
w = [rng.normal(0, 0.02, size=s).astype(np.float32) for s in [(f, hidden), (hidden, hidden), (hidden, 10)]]
b = [np.zeros(n, dtype=np.float32) for n in (hidden, hidden, 10)]
inits = [numpy_helper.from_array(a, name) for a, name in zip(w + b, ["W1", "W2", "W3", "B1", "B2", "B3"])]
nodes = [
    helper.make_node("Gemm", ["input", "W1", "B1"], ["h1"]), helper.make_node("Relu", ["h1"], ["r1"]),
    helper.make_node("Gemm", ["r1", "W2", "B2"], ["h2"]), helper.make_node("Relu", ["h2"], ["r2"]),
    helper.make_node("Gemm", ["r2", "W3", "B3"], ["logits"]), helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
]
graph = helper.make_graph(nodes, "large_mlp", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", f])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10]),
                           helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 10])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="mlship-bench")
model.ir_version = 7
onnx.save(model, os.path.join(out, "large.onnx"))
X = rng.normal(size=(8, f))
with open(os.path.join(out, "sample.csv"), "w") as fh:
    fh.write(",".join([f"f{i}" for i in range(f)] + ["target"]) + "\n")
    for row in X:
        fh.write(",".join(repr(float(v)) for v in row) + ",0\n")
print(json.dumps({"model_bytes": os.path.getsize(os.path.join(out, "large.onnx"))}))
