"""--mode train: the training job (job.py) run once, shared by the checks (probes.py)."""
from __future__ import annotations

from ...engine.driver import ServeDriver, tail
from .probes import TrainingProbes


class TrainDriver(ServeDriver):
    starting = "running the training job (`train`)"

    def prepare(self, environment: dict) -> None:
        # A created, never started container lets the static checks look into the image.
        self.ctx.container = self.client.containers.create(
            self.config.image, command=["train"], labels=self.session.labels,
            name=f"smc-{self.session.run_id}-inspect", network_mode="none")
        self.session.on_close(self.ctx.container.remove, v=True, force=True)
        self.ctx.training = TrainingProbes(self.client, self.session, self.config, self.progress)
        self.ctx.stop_drill = self.ctx.training.stop
        self.ctx.log_tail = lambda: tail(self.ctx.training.main().hosts[0].logs)

    def start(self, environment: dict) -> None:
        job = self.ctx.training.main()
        environment["job_elapsed_s"] = round(job.elapsed_s, 3)
        environment["hosts"] = [h.host for h in job.hosts]
        environment["hyperparameters"] = job.hyperparameters   # as hyperparameters.json held them
        environment["model_artifact"] = self.ctx.training.model_archive()
