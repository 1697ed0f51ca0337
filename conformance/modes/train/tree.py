"""A host's /opt/ml tree as the platform lays it out before `train`: the config JSON files
(hyperparameters, resourceconfig, inputdataconfig), the channels (copied, or FIFOs in
Pipe mode), model/ and output/ (contract.md sections 10 and 11, TRAIN-INFO)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ...config import RunConfig
from ...engine.reads import backdate_atime
from .pipe import PipeFeeder


def platform_hyperparameters(values: dict) -> dict:
    """Every value a string, as the platform writes hyperparameters.json."""
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def typed_hyperparameters(strings: dict) -> dict:
    """Each string read as the JSON value it spells ("2" -> 2, "0.1" -> 0.1, "true" ->
    true, "[1, 2]" -> [1, 2]); anything else stays the string it is. This is what the
    training toolkit does (contract.md training.hyperparameters, TT
    environment.read_hyperparameters: json.loads each value, the raw string on failure)."""
    typed = {}
    for key, text in strings.items():
        try:
            typed[key] = json.loads(text)
        except (TypeError, ValueError):
            typed[key] = text
    return typed


def host_names(count: int) -> list:
    return sorted(f"algo-{i}" for i in range(1, count + 1))   # sorted lexicographically (TRAIN-INFO)


def build_tree(root: Path, host: str, hosts: list, config: RunConfig, hyperparameters: dict,
               channels: dict, shard: int) -> list:
    """Returns the PipeFeeders to start (Pipe mode), else []."""
    training = config.mode_settings
    conf = root / "input" / "config"
    conf.mkdir(parents=True)
    for folder in ("model", "output/data", "input/data"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    group = "homogeneousCluster"
    (conf / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    (conf / "resourceconfig.json").write_text(json.dumps({
        "current_host": host, "hosts": hosts, "network_interface_name": "eth0",
        "current_instance_type": config.instance_type, "current_group_name": group,
        "instance_groups": [{"instance_group_name": group, "instance_type": config.instance_type,
                             "hosts": hosts}]}))
    (conf / "inputdataconfig.json").write_text(json.dumps({
        name: {"TrainingInputMode": training.input_mode, "S3DistributionType": training.distribution,
               "RecordWrapperType": "None"} for name in channels}))
    feeders = []
    for name, source in channels.items():
        files = sorted(p for p in Path(source).rglob("*") if p.is_file()) if source else []
        mine = [p for i, p in enumerate(files)
                if training.distribution != "ShardedByS3Key" or i % len(hosts) == shard]
        if training.input_mode == "Pipe":
            feeders.append(PipeFeeder(root / "input" / "data", name, mine))
            continue
        target = root / "input" / "data" / name
        target.mkdir(parents=True)
        for path in mine:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            backdate_atime(destination)
    for dirpath, dirnames, filenames in os.walk(root):   # images with a non-root USER
        os.chmod(dirpath, 0o777)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o666)
    for path in conf.iterdir():
        backdate_atime(path)
    return feeders
