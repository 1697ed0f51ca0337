"""The toolkit's handler service over the iris model: model_fn reads <model_dir>/model.json,
input_fn takes CSV or JSON rows, output_fn answers one class per line."""
import os

from sagemaker_inference import decoder, encoder  # noqa: F401  (the toolkit's own modules)
from sagemaker_inference.default_handler_service import DefaultHandlerService
from sagemaker_inference.default_inference_handler import DefaultInferenceHandler
from sagemaker_inference.transformer import Transformer

import iris_model


class IrisHandler(DefaultInferenceHandler):
    def default_model_fn(self, model_dir, context=None):
        return iris_model.load(os.path.join(model_dir, "model.json"))

    def default_input_fn(self, input_data, content_type, context=None):
        body = input_data if isinstance(input_data, bytes) else str(input_data).encode()
        if content_type and "json" in content_type:
            return iris_model.parse_json(body)
        return iris_model.parse_csv(body)

    def default_predict_fn(self, data, model, context=None):
        return iris_model.predict(model, data)

    def default_output_fn(self, prediction, accept, context=None):
        return "".join(f"{label}\n" for label in prediction)


class HandlerService(DefaultHandlerService):
    def __init__(self):
        super().__init__(transformer=Transformer(default_inference_handler=IrisHandler()))


_service = HandlerService()


def handle(data, context):
    if not getattr(_service, "initialized", False):
        _service.initialize(context)
        _service.initialized = True
    if data is None:
        return None
    return _service.handle(data, context)
