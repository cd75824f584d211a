"""Python peer of bench/predict.bench.ts: chunked batch scoring as a pandas user writes it.

    bench_predict.py MODEL.onnx DATA.csv OUT.csv [mixed]

pandas.read_csv(chunksize=100_000) → onnxruntime InferenceSession.run per chunk (float32 features,
the target column dropped) → DataFrame(label, proba_0, proba_1).to_csv appended. Prints JSON timings.
With `mixed`: the mixed-type table of bench_evaluate.py (age, income as float32 [n, 1]; city, plan,
zip read as str, fed as object [n, 1]), one input per column as skl2onnx exports the pipeline.
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import onnxruntime as ort  # noqa: E402


MIXED_NUM = ["age", "income"]
MIXED_STR = ["city", "plan", "zip"]


def main(model_path, data, out, mode="numeric"):
    t_import = time.perf_counter()
    sess = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    rows = 0
    first = True
    mixed = mode == "mixed"
    for chunk in pd.read_csv(data, chunksize=100_000, **({"dtype": {c: str for c in MIXED_STR}} if mixed else {})):
        if mixed:
            feeds = {c: chunk[c].to_numpy(dtype=np.float32).reshape(-1, 1) for c in MIXED_NUM}
            feeds.update({c: chunk[c].to_numpy(dtype=object).reshape(-1, 1) for c in MIXED_STR})
        else:
            feeds = {name: chunk.drop(columns=["target"]).to_numpy(dtype=np.float32)}
        label, prob = sess.run(["label", "probabilities"], feeds)
        df = pd.DataFrame({"label": label, "proba_0": prob[:, 0], "proba_1": prob[:, 1]})
        df.to_csv(out, mode="w" if first else "a", header=first, index=False)
        first = False
        rows += len(chunk)
    t_end = time.perf_counter()
    print(json.dumps({"rows": rows, "seconds": {"imports": t_import - t_start, "score": t_end - t_import}}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
