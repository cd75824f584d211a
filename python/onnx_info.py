"""Reference facts about ONNX files, read with the `onnx` Python package (the reference for
packages/sdk/src/model/onnx-proto.ts). Usage: onnx_info.py MODEL.onnx... → JSON {path: info} on stdout."""
import json
import sys

import onnx
import onnx.numpy_helper
from onnx import helper


def value_info(v):
    t = v.type
    which = t.WhichOneof("value")
    if which == "tensor_type":
        shape = None
        if t.tensor_type.HasField("shape"):
            shape = [
                {"value": d.dim_value if d.HasField("dim_value") else None, "param": d.dim_param}
                for d in t.tensor_type.shape.dim
            ]
        return {"name": v.name, "kind": "tensor",
                "elemType": helper.tensor_dtype_to_np_dtype(t.tensor_type.elem_type).name.replace("float32", "float").replace("float64", "double").replace("object", "string"),
                "shape": shape}
    kind = {"sequence_type": "sequence", "map_type": "map"}.get(which, "other")
    return {"name": v.name, "kind": kind, "elemType": "", "shape": None}


def operators(graph, out):
    for n in graph.node:
        out.add(n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}")
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                operators(a.g, out)
            for g in a.graphs:
                operators(g, out)
    return out


def class_labels(graph):
    for n in graph.node:
        if n.domain == "ai.onnx.ml" and n.op_type.endswith("Classifier"):
            for a in n.attribute:
                if a.name in ("classlabels_ints", "classlabels_int64s", "classlabels_strings") and (a.ints or a.strings):
                    v = helper.get_attribute_value(a)
                    return [x.decode() if isinstance(x, bytes) else int(x) for x in v]
    inits = {t.name: t for t in graph.initializer}
    for n in graph.node:
        if n.domain == "ai.onnx.ml" and n.op_type == "ArrayFeatureExtractor" and n.input and n.input[0] in inits:
            t = inits[n.input[0]]
            if len(t.dims) == 1 and t.data_type in (onnx.TensorProto.INT32, onnx.TensorProto.INT64, onnx.TensorProto.STRING):
                return [x.decode() if isinstance(x, bytes) else int(x) for x in onnx.numpy_helper.to_array(t).tolist()]
    return None


def info(path):
    m = onnx.load(path)
    return {
        "irVersion": m.ir_version,
        "producerName": m.producer_name,
        "producerVersion": m.producer_version,
        "opsets": {(o.domain or "ai.onnx"): o.version for o in m.opset_import},
        "operators": sorted(operators(m.graph, set())),
        "nodeCount": len(m.graph.node),
        "classLabels": class_labels(m.graph),
        "initializerCount": len(m.graph.initializer),
        "inputs": [value_info(v) for v in m.graph.input],
        "outputs": [value_info(v) for v in m.graph.output],
    }


if __name__ == "__main__":
    json.dump({p: info(p) for p in sys.argv[1:]}, sys.stdout)
