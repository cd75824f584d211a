"""Reference for the model server's /metrics text: prometheus_client (the Python client library).

stdin: {"text": <our exposition>, "metrics": [{"type": "counter"|"gauge"|"histogram", "name", "help",
        "labels": [...], "buckets": [...], "ops": [[{label: value}, value], ...]}]}
The script replays `ops` on prometheus_client metrics (counter.inc, gauge.set, histogram.observe),
renders them with generate_latest (text format 0.0.4), parses both texts with prometheus_client's
text_string_to_metric_families, and prints {"reference": families, "ours": families} as JSON.
"""
import json
import os
import sys

os.environ["PROMETHEUS_DISABLE_CREATED_SERIES"] = "True"

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402


def normalise(labels):
    # `le` bounds are strings in the text: prometheus_client writes 8.0, Go's client_golang 8; Prometheus
    # reads both as the float 8 (histogram_quantile parses them), so compare them as floats.
    return sorted((k, repr(float(v)) if k == "le" else v) for k, v in labels.items())


def families(text):
    out = []
    for fam in text_string_to_metric_families(text):
        samples = sorted(
            [s.name, normalise(s.labels), s.value] for s in fam.samples
        )
        out.append({"name": fam.name, "type": fam.type, "documentation": fam.documentation, "samples": samples})
    return sorted(out, key=lambda f: f["name"])


def main():
    spec = json.load(sys.stdin)
    registry = CollectorRegistry()
    for m in spec["metrics"]:
        labels = m.get("labels", [])
        if m["type"] == "counter":
            name = m["name"][:-len("_total")] if m["name"].endswith("_total") else m["name"]
            metric = Counter(name, m["help"], labels, registry=registry)
        elif m["type"] == "gauge":
            metric = Gauge(m["name"], m["help"], labels, registry=registry)
        else:
            metric = Histogram(m["name"], m["help"], labels, buckets=m["buckets"], registry=registry)
        for label_values, value in m["ops"]:
            child = metric.labels(**label_values) if labels else metric
            if m["type"] == "counter":
                child.inc(value)
            elif m["type"] == "gauge":
                child.set(value)
            else:
                child.observe(value)
    reference = generate_latest(registry).decode("utf-8")
    print(json.dumps({"reference": families(reference), "ours": families(spec["text"]), "reference_text": reference}))


if __name__ == "__main__":
    main()
