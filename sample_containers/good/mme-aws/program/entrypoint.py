"""`serve`: hand over to AWS's toolkit, which starts multi-model-server (the MME example's
dockerd-entrypoint). Anything else is run as a command."""
import shlex
import subprocess
import sys

from sagemaker_inference import model_server

if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        model_server.start_model_server(handler_service="/opt/program/handler_service.py:handle")
    else:
        sys.exit(subprocess.call(shlex.split(" ".join(sys.argv[1:]))))
