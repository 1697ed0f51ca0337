"""The runs a training check may ask for, each made once: the main job (the platform's
string hyperparameters), the failure drill, the typed-hyperparameters comparison and the
stop drill. Also: which channel files the main job read (atime), and the model packed as
the platform packs it."""
from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path
from typing import Callable, Optional

import docker

from ..config import RunConfig
from .job_network import create_job_network
from .lifecycle import StopDrill
from .probes import cached
from .reads import atime_recorded, backdate_atime, was_read
from .session import RunSession
from .training import JobRun, platform_hyperparameters, run_job, typed_hyperparameters

# Channels that carry the user's code, not data (framework images' "code" channel): the
# failure drill empties the data and keeps these.
CODE_CHANNELS = ("code",)



class TrainingProbes:
    def __init__(self, client: docker.DockerClient, session: RunSession, config: RunConfig,
                 progress: Callable[[str], None] = lambda _: None) -> None:
        self.client, self.session, self.config, self.progress = client, session, config, progress
        self.settings = config.training
        self.platform_hps = platform_hyperparameters(self.settings.hyperparameters)
        self._cache: dict = {}

    def _job(self, name: str, hyperparameters: dict, channels: dict,
             stop_after_s: Optional[float] = None, checkpoints: Optional[Path] = None) -> JobRun:
        if checkpoints is None and self.settings.checkpoints:
            checkpoints = self._fresh_dir(f"{name}-checkpoints")
        if "network" not in self._cache:   # one network for every job of the run
            from .training import host_names
            self._cache["network"] = create_job_network(
                self.client, self.session, host_names(self.settings.instance_count),
                self.config.network_isolation)
        return run_job(self.client, self.session, self.config, name, hyperparameters, channels,
                       stop_after_s, self.progress, checkpoints, self._cache["network"])

    def _fresh_dir(self, name: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"smc-{self.session.run_id}-{name}-"))
        self.session.track_dir(str(path))
        return path

    @cached
    def resume(self) -> dict:
        """The spot-interruption drill: stop a run halfway, start a new one on the same
        checkpoint folder, and see whether it read the checkpoints back."""
        runtime = self.main().longest_host_s
        folder = self._fresh_dir("resume-checkpoints")
        first = self._job("interrupted", self.platform_hps, self.settings.channels, stop_after_s=runtime / 2,
                          checkpoints=folder)
        written = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
        for path in written:
            backdate_atime(path)
        second = self._job("restarted", self.platform_hps, self.settings.channels, checkpoints=folder)
        read = [p for p in written if p.exists() and was_read(p)]
        return {"interrupted_at_s": round(runtime / 2, 2), "caught": any(h.stopped_by for h in first.hosts),
                "written": len(written), "read_back": len(read), "restart_succeeded": second.succeeded,
                "restart_s": round(second.longest_host_s, 2), "full_run_s": round(runtime, 2),
                "atime_recorded": atime_recorded()}

    @cached
    def main(self) -> JobRun:
        return self._job("main", self.platform_hps,
                         self.settings.channels)

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
        """/opt/ml/model of every host merged into model.tar.gz, as the platform uploads it."""
        main = self.main()
        if not main.succeeded or not main.model_files():
            return None
        out = Path(self.config.artifacts_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"model-{self.session.run_id}.tar.gz"
        with tarfile.open(path, "w:gz") as tar:
            for host in main.hosts:
                for item in sorted((host.root / "model").iterdir()):
                    tar.add(item, arcname=item.name)
        return str(path)
