"""Python peer of bench/predict.bench.ts: chunked batch scoring as a pandas user writes it.

    bench_predict.py MODEL.onnx DATA.csv OUT.csv

pandas.read_csv(chunksize=100_000) → onnxruntime InferenceSession.run per chunk (float32 features,
the target column dropped) → DataFrame(label, proba_0, proba_1).to_csv appended. Prints JSON timings.
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import onnxruntime as ort  # noqa: E402


def main(model_path, data, out):
    t_import = time.perf_counter()
    sess = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    rows = 0
    first = True
    for chunk in pd.read_csv(data, chunksize=100_000):
        X = chunk.drop(columns=["target"]).to_numpy(dtype=np.float32)
        label, prob = sess.run(["label", "probabilities"], {name: X})
        df = pd.DataFrame({"label": label, "proba_0": prob[:, 0], "proba_1": prob[:, 1]})
        df.to_csv(out, mode="w" if first else "a", header=first, index=False)
        first = False
        rows += len(chunk)
    t_end = time.perf_counter()
    print(json.dumps({"rows": rows, "seconds": {"imports": t_import - t_start, "score": t_end - t_import}}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
