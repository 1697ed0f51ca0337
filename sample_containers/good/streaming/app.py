"""A streaming predictor on FastAPI and uvicorn, as in the hosting guide's response
streaming example: GET /ping, POST /invocations answers one CSV line per row through a
StreamingResponse (chunked), each as soon as it is ready, like tokens from a model."""
import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

import iris_model

MODEL = iris_model.load()
PART_DELAY_S = 0.05   # the model's work per row ...
TOTAL_DELAY_S = 0.5   # ... and per request, whatever the number of rows
app = FastAPI()


@app.api_route("/ping", methods=["GET", "POST"])
async def ping() -> Response:
    return Response(status_code=200)


@app.post("/invocations")
async def invocations(request: Request) -> Response:
    body = await request.body()
    if request.headers.get("content-type", "").split(";")[0].strip() != "text/csv":
        return PlainTextResponse("only text/csv is supported\n", status_code=415)
    try:
        rows = iris_model.parse_csv(body)
    except iris_model.BadInput as exc:
        return PlainTextResponse(f"{exc}\n", status_code=400)

    delay = min(PART_DELAY_S, TOTAL_DELAY_S / len(rows))

    async def parts():
        for row in rows:
            await asyncio.sleep(delay)
            yield iris_model.predict(MODEL, [row])[0] + "\n"

    return StreamingResponse(parts(), media_type="text/csv")
