"""serverless.*: what a serverless endpoint adds to the serving contract (--mode serverless)."""
