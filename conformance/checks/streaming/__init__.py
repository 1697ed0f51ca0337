"""streaming.*: responses streamed as InvokeEndpointWithResponseStream relays them (--stream)."""
