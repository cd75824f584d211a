"""A model that fails at inference on real rows: make_failing_model.py OUT.onnx
Input float_input [N, 4]; output variable [N] = table[int(x[:, 0])] with a one-entry table, so onnxruntime
runs an all-zero row (what the server checks before turning ready without golden rows) and fails with
"indices element out of data bounds" on any row whose first feature is 1 or more (every iris row): the
server answers those requests 500. Used to prove that a canary answering 5xx is aborted."""
import sys

import onnx
from onnx import TensorProto, helper

nodes = [
    helper.make_node("Slice", ["float_input", "zero", "one", "one"], ["first"]),
    helper.make_node("Cast", ["first"], ["index2d"], to=TensorProto.INT64),
    helper.make_node("Reshape", ["index2d", "flat"], ["index"]),
    helper.make_node("Gather", ["table", "index"], ["variable"], axis=0),
]
inits = [
    helper.make_tensor("zero", TensorProto.INT64, [1], [0]),
    helper.make_tensor("one", TensorProto.INT64, [1], [1]),
    helper.make_tensor("flat", TensorProto.INT64, [1], [-1]),
    helper.make_tensor("table", TensorProto.FLOAT, [1], [0.5]),
]
graph = helper.make_graph(nodes, "failing", [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["N", 4])],
                          [helper.make_tensor_value_info("variable", TensorProto.FLOAT, ["N"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="mlship-test")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
