#!/bin/bash
# The start sequence of AWS's Ray Serve DLC for SageMaker (scripts/docker/ray/sagemaker_entrypoint.sh
# in aws/deep-learning-containers), step by step and with its fixed pauses: a Ray head, the Serve
# proxy on 8000, the application from /opt/ml/model/config.yaml (else SM_RAYSERVE_APP) in the
# background, a wait of up to 30 x 2 s for the proxy's health, then the adapter on 8080 as a child
# of this shell (not exec'd). Anything but `serve` is exec'd as given.
set -e

if command -v nvidia-smi >/dev/null 2>&1; then
    gpus=$(nvidia-smi --list-gpus | wc -l)
else
    gpus=0
fi
echo "GPUs found: ${gpus}"

if [ $# -ne 0 ] && [ "$1" != "serve" ]; then
    exec "$@"
fi

model_dir=/opt/ml/model
export PYTHONPATH="${model_dir}:${model_dir}/code:${PYTHONPATH}"
if [ -f "${model_dir}/code/requirements.txt" ]; then
    echo "pip install -r ${model_dir}/code/requirements.txt"
    pip install -r "${model_dir}/code/requirements.txt"
fi

ray start --head --port=6379 --include-dashboard=False --num-gpus="${gpus}"
sleep 5
serve start --http-host=0.0.0.0 --http-port=8000
sleep 5

if [ -f "${model_dir}/config.yaml" ]; then
    echo "serve run ${model_dir}/config.yaml"
    serve run "${model_dir}/config.yaml" &
elif [ -n "${SM_RAYSERVE_APP}" ]; then
    echo "serve run ${SM_RAYSERVE_APP}"
    serve run "${SM_RAYSERVE_APP}" &
else
    echo "no Ray Serve application: put config.yaml in the model archive or set SM_RAYSERVE_APP=module:app"
    exit 1
fi
app_pid=$!

sleep 5
if ! kill -0 "${app_pid}" 2>/dev/null; then
    echo "serve run ended at once"
    exit 1
fi

for attempt in $(seq 1 30); do
    if curl -s http://localhost:8000/-/healthz >/dev/null 2>&1; then
        echo "Ray Serve answers on 8000"
        break
    fi
    echo "waiting for Ray Serve (${attempt}/30)"
    sleep 2
done

python /app/sagemaker_adapter.py
