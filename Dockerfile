# sagemaker-conformance itself as an image: for CI jobs that run in a container with the
# engine's socket mounted (Docker outside of Docker). Build with scripts/build_tool_image.py
# (it adds the host's CA bundle to the context only where a TLS-inspecting proxy needs it).
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}
COPY . /src
RUN if [ -f /src/host-ca.crt ]; then export PIP_CERT=/src/host-ca.crt; fi; \
    pip install --no-cache-dir '/src[capture]' && rm -rf /src
ENTRYPOINT ["sagemaker-conformance"]
