"""The SageMaker side of a Ray Serve container, as AWS's Ray Serve DLC has it
(scripts/docker/ray/sagemaker_serve.py in aws/deep-learning-containers): a FastAPI app on port 8080
that answers GET /ping from the Serve proxy's /-/healthz on 8000 (200 with an empty body, else 503)
and forwards POST /invocations to the application's route "/", passing Content-Type, Accept and
every X-Amzn-SageMaker-* header both ways. Timeouts become 504, a refused connection 503, anything
else 500, each with a JSON error."""
from __future__ import annotations

import json
import logging
import os
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

BACKEND = os.environ.get("RAYSERVE_BACKEND_URL", "http://127.0.0.1:8000")
BACKEND_TIMEOUT_S = int(os.environ.get("RAYSERVE_BACKEND_TIMEOUT", "300"))
SAGEMAKER_PREFIX = "x-amzn-sagemaker-"
log = logging.getLogger("adapter")


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with httpx.AsyncClient(timeout=BACKEND_TIMEOUT_S) as client:
        app.state.backend = client
        yield


app = FastAPI(lifespan=lifespan)


def _sagemaker_headers(headers) -> dict:
    return {k: v for k, v in headers.items() if k.lower().startswith(SAGEMAKER_PREFIX)}


def _error(status: int, text: str) -> Response:
    return Response(json.dumps({"error": text}).encode(), status_code=status, media_type="application/json")


@app.get("/ping")
async def ping(request: Request) -> Response:
    try:
        health = await request.app.state.backend.get(f"{BACKEND}/-/healthz", timeout=5.0)
    except Exception as exc:  # the proxy is down or slow: unhealthy
        log.error("health check failed: %s", exc)
        return Response(b"", status_code=503, media_type="text/plain")
    return Response(b"", status_code=200 if health.status_code == 200 else 503, media_type="text/plain")


@app.post("/invocations")
async def invocations(request: Request) -> Response:
    accept = request.headers.get("Accept", "application/json")
    headers = _sagemaker_headers(request.headers)
    headers.update({"Content-Type": request.headers.get("Content-Type", "application/json"), "Accept": accept})
    try:
        answer = await request.app.state.backend.post(f"{BACKEND}/", content=await request.body(), headers=headers)
    except httpx.TimeoutException as exc:
        return _error(504, f"Ray Serve timed out: {exc}")
    except httpx.ConnectError as exc:
        return _error(503, f"Ray Serve unreachable: {exc}")
    except Exception as exc:
        return _error(500, str(exc))
    return Response(answer.content, status_code=answer.status_code,
                    media_type=answer.headers.get("Content-Type", accept),
                    headers=_sagemaker_headers(answer.headers))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(app, host="0.0.0.0", port=8080, log_level="info")
