"""A streaming predictor on FastAPI and uvicorn, as in the hosting guide's response
streaming example: GET /ping, POST /invocations answers one CSV line per row through a
StreamingResponse (chunked), each as soon as it is ready, like tokens from a model; and
the bidirectional stream, a WebSocket at /invocations-bidirectional-stream answering each
message with the predictions of its rows (uvicorn and wsproto answer Pings and Closes)."""
import asyncio

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
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


@app.websocket("/invocations-bidirectional-stream")
async def bidirectional(socket: WebSocket) -> None:
    await socket.accept()
    try:
        while True:
            message = await socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            body = message.get("bytes") or (message.get("text") or "").encode()
            try:
                answer = "".join(label + "\n" for label in iris_model.predict(MODEL, iris_model.parse_csv(body)))
            except iris_model.BadInput as exc:
                answer = f"bad input: {exc}\n"
            await socket.send_text(answer)
    except WebSocketDisconnect:
        return
