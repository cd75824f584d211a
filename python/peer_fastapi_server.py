"""The FastAPI peer of `npm run bench -- serve`: FastAPI + uvicorn (one worker) + onnxruntime (Python),
answering the same Open Inference Protocol V2 request/response JSON as mlship's server, one
session.run per request. Usage: python peer_fastapi_server.py MODEL.onnx PORT
Prints "ready" on stdout once uvicorn has started.
"""
import sys

import numpy as np
import onnxruntime as ort
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

DATATYPES = {"tensor(float)": "FP32", "tensor(int64)": "INT64", "tensor(double)": "FP64"}

model_path, port = sys.argv[1], int(sys.argv[2])
session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
outputs_meta = [o for o in session.get_outputs() if o.type in DATATYPES]
app = FastAPI()


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
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, workers=1)
    ReadyServer(config).run()
