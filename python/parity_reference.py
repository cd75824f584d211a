"""Reference for packages/sdk/src/serialize/parity.ts: numpy.isclose on the rows given on stdin.
stdin: {"expected": [[...]], "actual": [[...]], "atol": x, "rtol": y} -> stdout: JSON with, per row,
whether every element is close (numpy.isclose(actual, expected, rtol, atol), equal_nan=False), the
number of rows out of tolerance, the first (row, column) out of tolerance, max |a-b|, and the
maximum relative error over |b| > atol."""
import json
import sys

import numpy as np

d = json.load(sys.stdin)
e = np.asarray(d["expected"], dtype=np.float64)
a = np.asarray(d["actual"], dtype=np.float64)
close = np.isclose(a, e, rtol=d["rtol"], atol=d["atol"], equal_nan=False)
bad_rows = np.where(~close.all(axis=1))[0]
first = None
if len(bad_rows):
    r = int(bad_rows[0])
    first = [r, int(np.where(~close[r])[0][0])]
mask = np.abs(e) > d["atol"]
print(json.dumps({
    "mismatchedRows": int(len(bad_rows)),
    "first": first,
    "maxAbsError": float(np.max(np.abs(a - e))),
    "maxRelError": float(np.max(np.abs(a - e)[mask] / np.abs(e)[mask])) if mask.any() else 0.0,
}))
