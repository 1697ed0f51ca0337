"""sagemaker-conformance: does a container image keep SageMaker's container contract?"""
__version__ = "0.2.0"
