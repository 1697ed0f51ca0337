"""A nearest-centroid iris classifier: the model every sample serves. Its parameters are
read from /opt/ml/model/model.json (fixtures/model/model.tar.gz)."""
import json
import math
import os

MODEL_PATH = os.path.join(os.environ.get("MODEL_DIR", "/opt/ml/model"), "model.json")


class BadInput(ValueError):
    """The request body is not what the model takes (answer 4xx)."""


def load(path=MODEL_PATH):
    with open(path) as handle:
        model = json.load(handle)
    return model["classes"], model["centroids"]


def parse_csv(body):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("body is not UTF-8 text")
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            values = [float(v) for v in line.split(",")]
        except ValueError:
            raise BadInput(f"not a CSV row of numbers: {line[:40]!r}")
        if len(values) != 4:
            raise BadInput(f"expected 4 features, got {len(values)}")
        rows.append(values)
    if not rows:
        raise BadInput("empty body")
    return rows


def parse_json(body):
    """{"instances": [[f1, f2, f3, f4], ...]} or a bare list of rows."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):   # RecursionError: arrays nested too deep (found by --fuzz)
        raise BadInput("body is not JSON, or is nested too deep")
    rows = document.get("instances") if isinstance(document, dict) else document
    if not isinstance(rows, list) or not rows:
        raise BadInput("expected a non-empty list of rows, or {\"instances\": [...]}")
    for row in rows:
        if not isinstance(row, list) or len(row) != 4 or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in row):
            raise BadInput("each row must be 4 numbers")
    try:
        return [[float(v) for v in row] for row in rows]
    except OverflowError:   # an integer too large for a float (found by --fuzz)
        raise BadInput("a number is out of range")


def predict(model, rows):
    classes, centroids = model
    return [classes[min(range(len(centroids)), key=lambda i: math.dist(row, centroids[i]))]
            for row in rows]
