#!/usr/bin/env python3
"""Open Inference Protocol (V2 REST) requests through the real Python clients, for mlship's server tests.

    python oip_clients.py --url http://127.0.0.1:PORT --model NAME --request req.json
        --client triton-binary|triton-json|kserve|kserve-binary [--timeout 30]

req.json is {"inputs": [{"name", "datatype", "shape", "data"}], "outputs": ["name", ...] | null}; `data` is
flat or nested, in row-major order. Datatypes: FP32, FP64, INT32, INT64, BOOL, BYTES (strings).

Clients:
  triton-binary  tritonclient.http (NVIDIA's reference client) with binary_data=True on every input and
                 requested output: the binary tensor data extension (Inference-Header-Content-Length), its default.
                 With "outputs": null it asks for every output in binary (binary_data_output).
  triton-json    tritonclient.http with binary_data=False: tensors as JSON "data".
  kserve         KServe's SDK REST client (kserve.InferenceRESTClient, protocol v2) with JSON "data".
  kserve-binary  the same with set_data_from_numpy(binary_data=True) on every input.

Prints the response on stdout as JSON
    {"model_name": "...", "outputs": [{"name", "datatype", "shape", "data": [flat list]}]}
(BYTES decoded as UTF-8 strings), or exits 1 with the client's error text on stderr (2 for a bad request file).
"""
import argparse
import asyncio
import json
import sys

import numpy as np

DTYPES = {"FP32": np.float32, "FP64": np.float64, "INT32": np.int32, "INT64": np.int64, "BOOL": np.bool_,
          "BYTES": np.object_, "INT8": np.int8, "INT16": np.int16, "UINT8": np.uint8, "FP16": np.float16}


class BadRequest(Exception):
    pass


def read_request(path):
    try:
        with open(path) as f:
            req = json.load(f)
    except Exception as e:
        raise BadRequest(f"cannot read {path}: {type(e).__name__}: {e}")
    if not isinstance(req, dict) or not isinstance(req.get("inputs"), list) or not req["inputs"]:
        raise BadRequest(f'{path}: expected {{"inputs": [{{"name", "datatype", "shape", "data"}}], "outputs": [...]|null}}')
    tensors = []
    for i, t in enumerate(req["inputs"]):
        missing = [k for k in ("name", "datatype", "shape", "data") if k not in t]
        if missing:
            raise BadRequest(f"{path}: inputs[{i}] has no {', '.join(missing)}")
        if t["datatype"] not in DTYPES:
            raise BadRequest(f"{path}: inputs[{i}] ({t['name']}) has datatype {t['datatype']}; known: {', '.join(DTYPES)}")
        flat = np.asarray(t["data"], dtype=object).reshape(-1).tolist()
        if t["datatype"] == "BYTES":
            arr = np.array([v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in flat], dtype=np.object_)
        else:
            arr = np.asarray(flat, dtype=DTYPES[t["datatype"]])
        try:
            arr = arr.reshape(t["shape"])
        except ValueError:
            raise BadRequest(f"{path}: inputs[{i}] ({t['name']}) has {arr.size} values for shape {t['shape']}")
        tensors.append((t["name"], t["datatype"], list(t["shape"]), arr))
    outputs = req.get("outputs")
    if outputs is not None and not (isinstance(outputs, list) and all(isinstance(o, str) for o in outputs)):
        raise BadRequest(f'{path}: "outputs" must be a list of output names or null')
    return tensors, outputs


def flat_data(arr, datatype):
    a = np.asarray(arr).reshape(-1)
    if datatype == "BYTES":
        return [v.decode("utf-8") if isinstance(v, (bytes, bytearray)) else str(v) for v in a]
    return a.tolist()


def host_port(url):
    for p in ("http://", "https://"):
        if url.startswith(p):
            return url[len(p):].rstrip("/")
    return url.rstrip("/")


def triton(args, tensors, outputs, binary):
    import tritonclient.http as httpclient
    from tritonclient.utils import InferenceServerException
    client = httpclient.InferenceServerClient(url=host_port(args.url), connection_timeout=args.timeout, network_timeout=args.timeout)
    try:
        inputs = []
        for name, datatype, shape, arr in tensors:
            inp = httpclient.InferInput(name, shape, datatype)
            inp.set_data_from_numpy(arr, binary_data=binary)
            inputs.append(inp)
        requested = [httpclient.InferRequestedOutput(o, binary_data=binary) for o in outputs] if outputs is not None else None
        try:
            res = client.infer(args.model, inputs, outputs=requested)
        except InferenceServerException as e:
            raise ClientError(str(e))
        meta = res.get_response()
        return {"model_name": meta.get("model_name"),
                "outputs": [{"name": o["name"], "datatype": o["datatype"], "shape": o["shape"],
                             "data": flat_data(res.as_numpy(o["name"]), o["datatype"])} for o in meta.get("outputs", [])]}
    finally:
        client.close()


def kserve(args, tensors, outputs, binary):
    from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig
    from kserve.protocol.infer_type import RequestedOutput

    async def run():
        client = InferenceRESTClient(RESTConfig(protocol="v2", retries=0, timeout=args.timeout))
        inputs = []
        for name, datatype, shape, arr in tensors:
            if binary:
                inp = InferInput(name, shape, datatype)
                inp.set_data_from_numpy(arr, binary_data=True)
            else:
                inp = InferInput(name, shape, datatype, data=flat_data(arr, datatype))
            inputs.append(inp)
        req = InferRequest(model_name=args.model, infer_inputs=inputs,
                           request_outputs=[RequestedOutput(o) for o in outputs] if outputs is not None else None)
        try:
            res = await client.infer(args.url, req, model_name=args.model)
        except Exception as e:  # httpx.HTTPStatusError carries the server's reason in its message
            raise ClientError(f"{type(e).__name__}: {e}")
        finally:
            await client.close()
        return {"model_name": res.model_name,
                "outputs": [{"name": o.name, "datatype": o.datatype, "shape": list(o.shape),
                             "data": flat_data(o.as_numpy(), o.datatype)} for o in res.outputs]}
    return asyncio.run(run())


class ClientError(Exception):
    pass


def main(argv):
    p = argparse.ArgumentParser(description="Open Inference Protocol (V2 REST) requests through tritonclient[http] and KServe's REST client.",
                                epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="the server's base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--model", required=True, help="the model name in /v2/models/{name}/infer")
    p.add_argument("--request", required=True, help='JSON {"inputs": [...], "outputs": [...]|null}')
    p.add_argument("--client", required=True, choices=["triton-binary", "triton-json", "kserve", "kserve-binary"])
    p.add_argument("--timeout", type=float, default=30.0, help="seconds (connect and response)")
    args = p.parse_args(argv)
    try:
        tensors, outputs = read_request(args.request)
    except BadRequest as e:
        print(str(e), file=sys.stderr)
        return 2
    try:
        if args.client.startswith("triton"):
            res = triton(args, tensors, outputs, binary=args.client == "triton-binary")
        else:
            res = kserve(args, tensors, outputs, binary=args.client == "kserve-binary")
    except ClientError as e:
        print(str(e), file=sys.stderr)
        return 1
    except Exception as e:  # connection refused, a malformed response…: the client's own words
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    json.dump(res, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
