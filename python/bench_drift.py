"""Peer for `npm run bench -- drift`: Evidently 0.7's DataDriftPreset on two CSV files, as a user runs it.

    python bench_drift.py REFERENCE.csv CURRENT.csv

Prints JSON: seconds per phase (imports, pandas.read_csv of both files, Report.run) and Evidently's
decisions (drifted columns, share) so the bench can check both tools agree.
"""
import json
import sys
import time

t0 = time.perf_counter()
import pandas as pd  # noqa: E402
from evidently import Report  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402

t1 = time.perf_counter()
ref = pd.read_csv(sys.argv[1])
cur = pd.read_csv(sys.argv[2])
t2 = time.perf_counter()
snap = Report([DataDriftPreset()]).run(cur, ref)
d = snap.dict()
t3 = time.perf_counter()
share = d["metrics"][0]["value"]["share"]
drifted = []
for m in d["metrics"][1:]:
    cfg = m["config"]
    v = m["value"]
    method = cfg["method"]
    p_value = "p_value" in method
    is_drift = (v <= cfg["threshold"]) if method.startswith("K-S") else (v < cfg["threshold"]) if p_value else (v >= cfg["threshold"])
    if is_drift:
        drifted.append(cfg["column"])
json.dump({
    "seconds": {"imports": t1 - t0, "read_csv": t2 - t1, "report": t3 - t2},
    "share_drifted": share,
    "drifted_columns": drifted,
    "scores": {m["config"]["column"]: m["value"] for m in d["metrics"][1:]},
}, sys.stdout)
