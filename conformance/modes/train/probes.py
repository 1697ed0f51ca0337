"""The runs a training check may ask for, each made once: the main job (the platform's
string hyperparameters), the failure drill, the typed-hyperparameters comparison and the
stop drill. Also: which channel files the main job read (atime), and the model packed as
the platform packs it."""
from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Callable, Optional

import docker

from ...config import RunConfig
from .checkpoints import CheckpointPrefix
from .job_network import HostsDrill, create_job_network
from ...engine.lifecycle import StopDrill
from ...engine.probes import cached
from ...engine.reads import atime_recorded, backdate_atime, was_read
from ...engine.scratch import temp_dir
from ...engine.session import RunSession
from .job import JobRun, run_job
from .tree import platform_hyperparameters, typed_hyperparameters

# Channels that carry the user's code, not data (framework images' "code" channel): the
# failure drill empties the data and keeps these.
CODE_CHANNELS = ("code",)
# The hyperparameter a tuning job adds to each of its training jobs, set to the objective's
# MetricName (seen in DescribeTrainingJob of tuning jobs; the training toolkits read it).
TUNING_OBJECTIVE_KEY = "_tuning_objective_metric"
# The hosts drill's DNS lag: no platform figure exists (contract.md training.resourceconfig
# says only that DNS may lag and to retry); the training toolkit retries for minutes.
HOSTS_DNS_LAG_S = 5.0



class TrainingProbes:
    def __init__(self, client: docker.DockerClient, session: RunSession, config: RunConfig,
                 progress: Callable[[str], None] = lambda _: None) -> None:
        self.client, self.session, self.config, self.progress = client, session, config, progress
        self.settings = config.mode_settings
        self.platform_hps = platform_hyperparameters(self.settings.hyperparameters)
        if self.settings.objective_metric:   # as a tuning job writes it (HyperParameterTuningJobObjective)
            self.platform_hps[TUNING_OBJECTIVE_KEY] = self.settings.objective_metric
        self._cache: dict = {}
        self.model_clashes: list = []   # model files two hosts both wrote (model_archive)

    def _job(self, name: str, hyperparameters: dict, channels: dict, stop_after_s: Optional[float] = None,
             prefix: Optional[CheckpointPrefix] = None,
             before_sync: Callable[[Path], None] = lambda _: None, drill: Optional[HostsDrill] = None) -> JobRun:
        """With checkpoints, the one prefix is restored into every host's folder first and
        synced back after the job (modes/train/checkpoints.py); `before_sync` sees the hosts'
        folders before that (the sync reads every file)."""
        from .tree import host_names
        hosts = host_names(self.settings.instance_count)
        if prefix is None and self.settings.checkpoints:
            prefix = CheckpointPrefix(self._fresh_dir(f"{name}-prefix"))
        local = None
        if prefix is not None:
            local = self._fresh_dir(f"{name}-checkpoints")
            prefix.restore(local, hosts)
            for path in local.rglob("*"):   # a read by the job shows as a newer atime
                if path.is_file() and not path.is_symlink():
                    backdate_atime(path)
        if "network" not in self._cache:   # one network for every job of the run
            self._cache["network"] = create_job_network(self.client, self.session, hosts,
                                                        self.config.network_isolation)
        job = run_job(self.client, self.session, self.config, name, hyperparameters, channels,
                      stop_after_s, self.progress, local, self._cache["network"], drill)
        if prefix is not None:
            before_sync(local)
            job.checkpoint_clashes = prefix.sync(local, hosts)
        return job

    def _fresh_dir(self, name: str) -> Path:
        return temp_dir(self.session, name)

    @cached
    def resume(self) -> dict:
        """The spot-interruption drill: stop a run halfway, start a new one on the same
        checkpoint folder, and see whether it read the checkpoints back."""
        runtime = self.main().longest_host_s
        prefix = CheckpointPrefix(self._fresh_dir("resume-prefix"))
        first = self._job("interrupted", self.platform_hps, self.settings.channels, stop_after_s=runtime / 2,
                          prefix=prefix)
        written = sorted(prefix.files())
        read: set = set()

        def restored(local: Path) -> list:   # every host's copy of what the prefix held
            return [(rel, host_dir / rel) for host_dir in sorted(local.iterdir()) for rel in written
                    if (host_dir / rel).is_file()]

        def seen_reads(local: Path) -> None:
            read.update(rel for rel, path in restored(local) if was_read(path))

        second = self._job("restarted", self.platform_hps, self.settings.channels, prefix=prefix,
                           before_sync=seen_reads)
        return {"interrupted_at_s": round(runtime / 2, 2), "caught": any(h.stopped_by for h in first.hosts),
                "written": len(written), "read_back": len(read), "restart_succeeded": second.succeeded,
                "restart_s": round(second.longest_host_s, 2), "full_run_s": round(runtime, 2),
                "atime_recorded": atime_recorded(),
                "clashes": [c.describe() for c in first.checkpoint_clashes + second.checkpoint_clashes]}

    @cached
    def main(self) -> JobRun:
        return self._job("main", self.platform_hps,
                         self.settings.channels)

    @cached
    def hosts_drill(self) -> JobRun:
        """The main job again, its hosts knowing themselves only from resourceconfig.json:
        hostnames unlike current_host, and names that resolve HOSTS_DNS_LAG_S after start."""
        return self._job("hosts-drill", self.platform_hps, self.settings.channels,
                         drill=HostsDrill(HOSTS_DNS_LAG_S))

    @cached
    def failure(self) -> JobRun:
        """A job meant to fail: the user's failure hyperparameters, else every channel empty."""
        if self.settings.failure_hyperparameters is not None:
            return self._job("failure", platform_hyperparameters(self.settings.failure_hyperparameters),
                             self.settings.channels)
        return self._job("failure", self.platform_hps,
                         {name: (folder if name in CODE_CHANNELS else None)
                          for name, folder in self.settings.channels.items()})

    @cached
    def typed(self) -> JobRun:
        """The same job with typed values derived from the platform's strings ("2" -> 2,
        "true" -> true), as a local run or a typed config would pass them."""
        return self._job("typed", typed_hyperparameters(self.platform_hps), self.settings.channels)

    @cached
    def stop(self) -> StopDrill:
        runtime = self.main().longest_host_s
        if runtime < 2.0:
            return StopDrill(self.config.stop_grace_s, None,
                             skipped=f"the job ran {runtime:.2f} s, too short to be caught running")
        at = runtime / 2
        job = self._job("stop", self.platform_hps,
                        self.settings.channels, stop_after_s=at)
        caught = [h for h in job.hosts if h.stopped_by == "sigterm"]
        if not caught:
            return StopDrill(self.config.stop_grace_s, None,
                             skipped=f"the job ended before SIGTERM at {at:.1f} s")
        slowest = max(caught, key=lambda h: h.exit_after_sigterm_s or float("inf"))
        killed_at = self.config.stop_grace_s if slowest.killed_after_grace else None
        # A job ends by itself: it was still busy only if it ended well before its own runtime.
        ran = at + (slowest.exit_after_sigterm_s or 0.0)
        return StopDrill(self.config.stop_grace_s,
                         None if slowest.killed_after_grace else slowest.exit_after_sigterm_s,
                         slowest.exit_code, pid1=f"{self.config.image} train", killed_at_s=killed_at,
                         disposition=slowest.sigterm_disposition, was_running=ran < 0.8 * runtime)

    def channel_reads(self) -> Optional[dict]:
        """channel -> (files read, files given) on algo-1 of the main job; None when this
        filesystem does not record reads (noatime)."""
        host = self.main().hosts[0]
        if host.feeders:   # Pipe mode: a channel was read when a reader opened one of its FIFOs
            return {f.channel: (len(f.epochs), max(len(f.epochs), 1)) for f in host.feeders}
        if not atime_recorded():
            return None
        reads: dict = {}
        for name in self.settings.channels:
            files = [p for p in (host.root / "input" / "data" / name).rglob("*") if p.is_file()]
            read = [p for p in files if was_read(p)]
            reads[name] = (len(read), len(files))
        return reads

    def config_reads(self) -> Optional[dict]:
        """config file -> read by algo-1 of the main job; None without atime."""
        if not atime_recorded():
            return None
        conf = self.main().hosts[0].root / "input" / "config"
        return {p.name: was_read(p) for p in sorted(conf.iterdir())}

    @cached
    def model_archive(self) -> Optional[str]:
        """/opt/ml/model of every host merged into model.tar.gz, as the platform uploads it.
        A file of the same name from two hosts is never overwritten in silence: the first
        host's copy is packed and the others are listed in `model_clashes`."""
        main = self.main()
        if not main.succeeded or not main.model_files():
            return None
        out = Path(self.config.artifacts_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"model-{self.session.run_id}.tar.gz"
        packed: dict = {}
        self.model_clashes = []
        with tarfile.open(path, "w:gz") as tar:
            for host in main.hosts:
                root = host.root / "model"
                for item in sorted(root.rglob("*")):
                    name = str(item.relative_to(root))
                    if item.is_dir() and not item.is_symlink():
                        continue
                    if name in packed:
                        self.model_clashes.append(f"{name} from {packed[name]} and {host.host}")
                        continue
                    packed[name] = host.host
                    tar.add(item, arcname=name, recursive=False)
        return str(path)