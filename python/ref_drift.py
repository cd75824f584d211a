"""Reference values for mlship's drift check, from scipy and from Evidently's own code.

    python ref_drift.py scenarios REF CUR [REF CUR ...]   per-column statistics + Evidently's decisions
    python ref_drift.py special                           chi2.sf, norm.cdf, kstwo.sf, ks_2samp on a grid
    python ref_drift.py psi_quantile < {"pairs": [[ref, cur], ...]}   psi_quantile of each pair (numpy)

Output: JSON on stdout. Every number is computed here by the named library; nothing is hard-coded.
Evidently's decisions come from Report([DataDriftPreset()]).run(current, reference) (Evidently 0.7):
the stattest it picked, its score and threshold per column, and its drifted-column share. Whether a
column drifted is re-derived by calling that same Evidently StatTest object on the NaN/inf-dropped
columns (what evidently/legacy/calculations/data_drift.py get_one_column_drift does).
"""
import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

warnings.filterwarnings("ignore")


def clean(x):
    if isinstance(x, (np.floating, float)):
        x = float(x)
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        if math.isnan(x):
            return "NaN"
        return x
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    return x


def psi_quantile(ref, cur, bins=10):
    """PSI on reference-quantile bins, written the plain numpy way: edges = numpy.quantile(ref, linspace(0, 1,
    bins + 1), method='linear') as numpy returns them (duplicates kept), the outer two dropped so that the
    first and last bins are open (-inf, q1] and (q9, +inf); numpy.digitize(x, q[1:-1], right=True) puts each
    value in its bin (closed on the right); empty bins floored at 1e-4; sum (c - r) * ln(c / r)."""
    q = np.quantile(ref, np.linspace(0, 1, bins + 1), method="linear")
    inner = q[1:-1]
    r = np.bincount(np.digitize(ref, inner, right=True), minlength=bins) / len(ref)
    c = np.bincount(np.digitize(cur, inner, right=True), minlength=bins) / len(cur)
    r = np.where(r == 0, 1e-4, r)
    c = np.where(c == 0, 1e-4, c)
    return float(np.sum((c - r) * np.log(c / r)))


def scenario(ref_path, cur_path):
    from evidently import Dataset, Report
    from evidently.presets import DataDriftPreset
    from evidently.legacy.calculations.stattests import registry
    from evidently.legacy.calculations.stattests.chisquare_stattest import _chi_stat_test
    from evidently.legacy.calculations.stattests.jensenshannon import _jensenshannon
    from evidently.legacy.calculations.stattests.psi import _psi
    from evidently.legacy.calculations.stattests.z_stattest import _z_stat_test
    from evidently.legacy.core import ColumnType

    # round_trip: Python's correctly rounded float(), which is how the fixtures were written (shortest
    # repr). pandas' default fast parser can be 1 ulp off, enough to move a value across one of
    # Evidently's histogram edges when the data sit on a grid (diabetes `age`).
    ref = pd.read_csv(ref_path, float_precision="round_trip")
    cur = pd.read_csv(cur_path, float_precision="round_trip")
    snap = Report([DataDriftPreset()]).run(cur, ref)
    d = snap.dict()
    share = d["metrics"][0]["value"]["share"]
    count = d["metrics"][0]["value"]["count"]
    picked = {}
    for m in d["metrics"][1:]:
        cfg = m["config"]
        picked[cfg["column"]] = {"display": cfg["method"], "threshold": cfg["threshold"], "score": m["value"]}
    dd = Dataset.from_pandas(cur).data_definition
    types = {c: "numerical" for c in (dd.numerical_columns or [])}
    types.update({c: "categorical" for c in (dd.categorical_columns or [])})
    by_display = {}
    for name, per_type in registry._registered_stat_tests.items():
        for t in per_type.values():
            by_display[t.display_name] = t
    columns = {}
    for col, p in picked.items():
        r = ref[col].replace([-np.inf, np.inf], np.nan).dropna()
        c = cur[col].replace([-np.inf, np.inf], np.nan).dropna()
        kind = types[col]
        ft = ColumnType.Numerical if kind == "numerical" else ColumnType.Categorical
        test = by_display[p["display"]]
        res = test(r, c, ft, p["threshold"])
        out = {
            "type": kind,
            "stattest": test.name,
            "threshold": p["threshold"],
            "score": p["score"],
            "drift": bool(res.drifted),
            "score_recomputed": res.drift_score,
            "n_ref": int(r.shape[0]),
            "n_cur": int(c.shape[0]),
            "n_missing_ref": int(ref[col].isna().sum()),
            "n_missing_cur": int(cur[col].isna().sum()),
        }
        s = {}
        s["psi"] = _psi(r, c, ft, 0.1)[0]
        s["jensenshannon"] = _jensenshannon(r, c, ft, 0.1)[0]
        if kind == "numerical":
            ks = stats.ks_2samp(r.to_numpy(), c.to_numpy())
            s["ks_statistic"] = ks.statistic
            s["ks_p_value"] = ks.pvalue
            s["wasserstein"] = stats.wasserstein_distance(r, c)
            s["wasserstein_norm"] = s["wasserstein"] / max(float(np.std(r)), 0.001)
            s["psi_quantile"] = psi_quantile(r.to_numpy(), c.to_numpy())
            s["mean_ref"] = np.mean(r)
            s["mean_cur"] = np.mean(c)
            s["std_ref"] = np.std(r)
            s["std_cur"] = np.std(c)
        n_unique = pd.concat([r, c]).nunique()
        if kind == "categorical" or n_unique <= 5:
            keys = sorted(set(r.unique()) | set(c.unique()))
            rc = [int((r == k).sum()) for k in keys]
            cc = [int((c == k).sum()) for k in keys]
            s["chisquare_p_value"] = _chi_stat_test(r, c, ft, 0.05)[0]
            f_exp = [x * len(c) / len(r) for x in rc]
            with np.errstate(divide="ignore", invalid="ignore"):
                s["chisquare_statistic"] = stats.chisquare(cc, f_exp).statistic if len(keys) > 1 else 0.0
            if len(keys) > 1:
                ct = stats.chi2_contingency(np.array([rc, cc]))
                s["chi2_independence_statistic"] = ct.statistic
                s["chi2_independence_p_value"] = ct.pvalue
            if len(keys) <= 2:
                s["z_p_value"] = _z_stat_test(r, c, ft, 0.05)[0]
            if kind == "categorical":
                s["counts_ref"] = rc
                s["counts_cur"] = cc
                s["new_categories"] = [str(k) for k, x in zip(keys, rc) if x == 0]
                s["vanished_categories"] = [str(k) for k, x in zip(keys, cc) if x == 0]
        out["stats"] = s
        columns[col] = out
    return {
        "reference": ref_path,
        "current": cur_path,
        "columns": columns,
        "summary": {"n_drifted": int(count), "share_drifted": share, "dataset_drift": bool(share >= 0.5)},
    }


def special():
    out = {"chi2_sf": [], "norm_cdf": [], "kstwo_sf": [], "ks_2samp": [], "jensenshannon": [], "wasserstein": []}
    for dof in [1, 2, 3, 4, 7, 10, 29, 100]:
        for x in [0.0, 0.001, 0.5, 1.0, 2.7, 5.0, 9.3, 20.0, 60.0, 150.0]:
            out["chi2_sf"].append([x, dof, stats.chi2.sf(x, dof)])
    for z in [-8.0, -3.1, -1.0, -0.2, 0.0, 0.3, 0.7071, 1.0, 1.96, 2.5, 3.7, 5.0, 8.0]:
        out["norm_cdf"].append([z, stats.norm.cdf(z)])
    for n in [3, 10, 57, 140, 141, 500, 5000, 20000, 99999, 100001, 400000]:
        for x in [0.001, 0.004, 0.01, 0.02, 0.05, 0.1, 0.3, 0.6, 0.95]:
            out["kstwo_sf"].append([n, x, stats.kstwo.sf(x, n)])
    rng = np.random.default_rng(7)
    for n1, n2, shift in [(1, 1, 0.0), (1, 5, 0.0), (7, 7, 0.3), (30, 45, 0.2), (100, 100, 0.5), (455, 114, 0.1), (353, 89, 0.4), (1000, 300, 0.05), (3000, 3000, 0.05), (3000, 2999, 0.02), (9999, 10000, 0.01), (12000, 8000, 0.03), (20000, 20000, 0.01), (50, 10001, 0.2)]:
        a = np.round(rng.normal(0, 1, n1), 3)
        b = np.round(rng.normal(shift, 1, n2), 3)
        ks = stats.ks_2samp(a, b)
        out["ks_2samp"].append({"a": a.tolist(), "b": b.tolist(), "statistic": ks.statistic, "pvalue": ks.pvalue,
                                "wasserstein": stats.wasserstein_distance(a, b)})
    for p, q in [([1, 2, 3], [3, 2, 1]), ([0.5, 0.5, 0], [0, 0.5, 0.5]), ([10, 0, 5, 5], [9, 1, 5, 5])]:
        out["jensenshannon"].append([p, q, distance.jensenshannon(p, q)])
    return out


def main():
    mode = sys.argv[1]
    if mode == "scenarios":
        args = sys.argv[2:]
        res = [scenario(args[i], args[i + 1]) for i in range(0, len(args), 2)]
    elif mode == "special":
        res = special()
    elif mode == "psi_quantile":  # stdin: {"pairs": [[ref, cur], ...]} -> [psi, ...]
        res = [psi_quantile(np.asarray(r, dtype=np.float64), np.asarray(c, dtype=np.float64))
               for r, c in json.load(sys.stdin)["pairs"]]
    else:
        raise SystemExit(f"unknown mode {mode}")
    json.dump(clean(res), sys.stdout)


if __name__ == "__main__":
    main()
