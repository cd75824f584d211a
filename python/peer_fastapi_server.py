"""The FastAPI peer of `npm run bench -- serve`: FastAPI + uvicorn + onnxruntime (Python), answering the
same Open Inference Protocol V2 request/response JSON as mlship's server, one session.run per request.
Usage: python peer_fastapi_server.py MODEL.onnx PORT [WORKERS]
WORKERS (default 1) > 1 runs uvicorn's own multi-process mode (`uvicorn --workers N`: N processes on
one socket, each with its own session), so the peer uses every core as `mlship serve --workers N` does.
Prints "ready" on stdout once per serving process (once uvicorn has started, or each worker's startup).
"""
import os
import sys
from contextlib import asynccontextmanager

import numpy as np
import onnxruntime as ort
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

DATATYPES = {"tensor(float)": "FP32", "tensor(int64)": "INT64", "tensor(double)": "FP64"}
# uvicorn's workers import this module afresh: the model comes through the environment.
MODEL_ENV = "MLSHIP_PEER_MODEL"

model_path = os.environ.get(MODEL_ENV) or sys.argv[1]
session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
outputs_meta = [o for o in session.get_outputs() if o.type in DATATYPES]


@asynccontextmanager
async def lifespan(_app):
    if os.environ.get(MODEL_ENV):  # a worker of the multi-process mode (the socket is already bound)
        print("ready", flush=True)
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/v2/health/ready")
def ready():
    return {"ready": True}


@app.post("/v2/models/{name}/infer")
async def infer(name: str, request: Request):
    body = await request.json()
    tensor = body["inputs"][0]
    x = np.asarray(tensor["data"], dtype=np.float32).reshape(tensor["shape"])
    results = session.run([o.name for o in outputs_meta], {tensor["name"]: x})
    outputs = [
        {"name": o.name, "shape": list(r.shape), "datatype": DATATYPES[o.type], "data": r.ravel().tolist()}
        for o, r in zip(outputs_meta, results)
    ]
    return JSONResponse({"model_name": name, "model_version": "1", "outputs": outputs})


class ReadyServer(uvicorn.Server):
    async def startup(self, sockets=None):
        await super().startup(sockets=sockets)
        print("ready", flush=True)


if __name__ == "__main__":
    port = int(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if workers > 1:
        os.environ[MODEL_ENV] = model_path
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        uvicorn.run("peer_fastapi_server:app", host="127.0.0.1", port=port, log_level="warning", access_log=False, workers=workers)
    else:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, workers=1)
        ReadyServer(config).run()
