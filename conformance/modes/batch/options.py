"""The options only this mode takes, declared where the mode lives (options.py gathers
them through the registry)."""
from ...option_spec import option

OPTIONS = (
    option("input", "path", "--mode batch: the folder of input files (every file under it)",
           "batch.split", group="batch"),
    option("output", "path", "--mode batch: where <file>.out is written per input file", "batch.output",
           group="batch", default="reports/batch-output"),
    option("split-type", "text", "--mode batch: SplitType", "batch.split", group="batch", default="None",
           choices=("None", "Line", "RecordIO", "TFRecord")),
    option("batch-strategy", "text", "--mode batch: BatchStrategy (unset: the container's "
           "/execution-parameters, else MultiRecord)", "batch.split", group="batch",
           choices=("MultiRecord", "SingleRecord")),
    option("max-payload-mb", "int", "--mode batch: MaxPayloadInMB, 0-100 (0: each file whole, chunked; "
           "unset: the container's, else 6)", "batch.payload", group="batch"),
    option("max-concurrent", "int", "--mode batch: MaxConcurrentTransforms (unset: the container's, "
           "else 1)", "batch.concurrency", group="batch"),
    option("assemble-with", "text", "--mode batch: AssembleWith (Line: a newline after each response)",
           "batch.output", group="batch", default="None", choices=("None", "Line")),
    option("invocations-timeout", "float", "--mode batch: InvocationsTimeoutInSeconds, 1-3600",
           "batch.timeout", group="batch", default=600.0),
    option("invocations-max-retries", "int", "--mode batch: InvocationsMaxRetries, 0-3", "batch.timeout",
           group="batch", default=3),
)
