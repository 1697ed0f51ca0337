"""The entry point of the Hugging Face DLCs (docker/build_artifacts/mms-entrypoint.py in
aws/sagemaker-huggingface-inference-toolkit), with the same behaviour: `serve` runs the
toolkit's serving.main(); anything else runs as a command; then the process waits on
`tail -f /dev/null` so that the container does not exit."""
import shlex
import subprocess
import sys

if sys.argv[1] == "serve":
    from sagemaker_huggingface_inference_toolkit import serving
    serving.main()
else:
    subprocess.check_call(shlex.split(" ".join(sys.argv[1:])))
subprocess.call(["tail", "-f", "/dev/null"])
