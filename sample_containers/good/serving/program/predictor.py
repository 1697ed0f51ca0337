"""The Flask app: GET /ping is 200 once the model is loaded (at import; the worker fails
to boot without it), POST /invocations classifies CSV rows."""
import flask

import iris_model

MODEL = iris_model.load()
app = flask.Flask(__name__)


@app.route("/ping", methods=["GET", "POST"])
def ping():
    return flask.Response(response="", status=200)


@app.route("/invocations", methods=["POST"])
def invocations():
    body = flask.request.get_data()   # read it all, also when refusing it: an unread body makes
    if flask.request.mimetype != "text/csv":   # gunicorn drop the connection and nginx answer 502 (found by --fuzz)
        return flask.Response("only text/csv is supported\n", status=415, mimetype="text/plain")
    try:
        rows = iris_model.parse_csv(body)
    except iris_model.BadInput as exc:
        return flask.Response(f"{exc}\n", status=400, mimetype="text/plain")
    labels = iris_model.predict(MODEL, rows)
    return flask.Response("\n".join(labels) + "\n", status=200, mimetype="text/csv")
