"""How the image's process is started: the `serve` argument, exec form, tini.
Sources: shared/contract.md section 1 (image.entrypoint.*, image.init.tini), from the AWS
guide pages your-algorithms-inference-code and your-algorithms-training-algo-dockerfile."""
from __future__ import annotations

import posixpath
from typing import Optional

from docker.errors import APIError, NotFound

from .. import check
from ...engine.context import CheckContext
from ...model import Mode, Outcome, Phase, Severity, passed, skipped, violation

BOTH = (Mode.SERVE, Mode.TRAIN, Mode.MME, Mode.PIPELINE)   # a pipeline: for each of its images

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SHELLS = ("/bin/sh", "sh", "/bin/bash", "bash", "/usr/bin/sh", "/usr/bin/bash")


def _given(ctx: CheckContext) -> list:
    """A training job's own entry point (AlgorithmSpecification.ContainerEntrypoint)."""
    return list(getattr(ctx.config.mode_settings, "container_entrypoint", ()) or ())


def _entrypoint(ctx: CheckContext) -> list:
    """What the platform starts: the job's ContainerEntrypoint when it names one, else the
    image's ENTRYPOINT."""
    return _given(ctx) or list(ctx.image_config.get("Entrypoint") or [])


def _is_shell_form(entrypoint: list) -> bool:
    return len(entrypoint) >= 2 and entrypoint[0] in SHELLS and entrypoint[1] == "-c"


@check(id="image.entrypoint.handles-arg", title="`docker run IMAGE serve|train` can start",
       severity=Severity.MUST, phase=Phase.STATIC, modes=BOTH, each_container=True,
       source="contract.md image.entrypoint.handles-arg (AWS guide: your-algorithms-inference-code)",
       remediation="Give the image an exec-form ENTRYPOINT that accepts the `serve`/`train` "
                   "argument, or put an executable file of that name on PATH (chmod +x).")
def handles_serve_argument(ctx: CheckContext) -> Outcome:
    if _given(ctx):
        return _given_entrypoint(ctx, _given(ctx))
    entrypoint = _entrypoint(ctx)
    argument = ctx.config.argument   # the platform appends `serve` or `train`
    if entrypoint:
        return passed(f"ENTRYPOINT {entrypoint} is started with the argument `{argument}`")
    if ctx.container is None:
        return skipped(f"no container was created to look for `{argument}` on PATH")
    path = _env(ctx).get("PATH", DEFAULT_PATH)
    found, why = _find_executable(ctx, argument, path)
    if found:
        return passed(f"no ENTRYPOINT; Docker runs the executable {found}")
    return violation(f"no ENTRYPOINT, and {why}: `docker run IMAGE {argument}` fails with "
                     f"'exec: \"{argument}\": executable file not found in $PATH' (PATH={path})")


def _given_entrypoint(ctx: CheckContext, entrypoint: list) -> Outcome:
    """With ContainerEntrypoint the platform runs it and appends no `train` (contract.md
    training.start): its first word must be an executable in the image."""
    if ctx.container is None:
        return skipped(f"no container was created to look for {entrypoint[0]!r} in the image")
    program, path = entrypoint[0], _env(ctx).get("PATH", DEFAULT_PATH)
    if "/" in program:
        mode = _stat_mode(ctx, program)
        found, why = (program, "") if mode is not None and mode & 0o111 else (
            None, f"{program} is not an executable file in the image")
    else:
        found, why = _find_executable(ctx, program, path)
    arguments = list(ctx.config.mode_settings.command)
    if found:
        return passed(f"ContainerEntrypoint {entrypoint} runs {found} with the arguments {arguments} "
                      f"(no `train` appended)")
    return violation(f"ContainerEntrypoint {entrypoint}: {why}: the job cannot start (PATH={path})",
                     measured=program, limit="an executable in the image")


def _env(ctx: CheckContext) -> dict:
    return dict(item.split("=", 1) for item in ctx.image_config.get("Env") or [] if "=" in item)


def _find_executable(ctx: CheckContext, name: str, path: str) -> tuple[Optional[str], str]:
    not_executable = ""
    for directory in path.split(":"):
        candidate = posixpath.join(directory or "/", name)
        mode = _stat_mode(ctx, candidate)
        if mode is None:
            continue
        if mode & 0o111:
            return candidate, ""
        not_executable = f"{candidate} exists but is not executable (mode {mode & 0o777:o})"
    return None, not_executable or f"no file named `{name}` is on PATH"


def _stat_mode(ctx: CheckContext, path: str, hops: int = 8) -> Optional[int]:
    """The file's permission bits, following symbolic links inside the image."""
    try:
        _, stat = ctx.container.get_archive(path)
    except (NotFound, APIError):
        return None
    link = stat.get("linkTarget") or ""
    if link and hops > 0:
        return _stat_mode(ctx, posixpath.normpath(posixpath.join(posixpath.dirname(path), link)), hops - 1)
    if stat.get("mode", 0) & (1 << 31):  # a directory (Go's os.ModeDir)
        return None
    return stat.get("mode", 0)


@check(id="image.entrypoint.exec-form", title="ENTRYPOINT is in exec form",
       severity=Severity.SHOULD, phase=Phase.STATIC, modes=BOTH, each_container=True,
       source="contract.md image.entrypoint.exec-form (HOST, TRAIN-RUN: the AWS guide recommends the exec form so "
              "the process receives SIGTERM/SIGKILL)",
       remediation='Write ENTRYPOINT ["executable", "arg"] (JSON array), not ENTRYPOINT executable arg.')
def exec_form(ctx: CheckContext) -> Outcome:
    entrypoint = _entrypoint(ctx)
    if not entrypoint:
        return passed(f"no ENTRYPOINT: `{ctx.config.argument}` is executed directly")
    if _is_shell_form(entrypoint):
        return violation(f"shell form: PID 1 is `{' '.join(entrypoint[:2])}`, which swallows the "
                         f"`{ctx.config.argument}` argument and does not forward SIGTERM",
                         measured=" ".join(entrypoint))
    return passed(f"exec form: {entrypoint}")


@check(id="image.init.tini", title="tini is not the entry point",
       severity=Severity.SHOULD, phase=Phase.STATIC, modes=BOTH, each_container=True,
       source="contract.md image.init.tini (HOST, TRAIN-RUN: tini 'is confused by the train and serve "
              "arguments'); treated as a warning since `tini -- prog` passes `serve` through",
       remediation="Start your server directly as the ENTRYPOINT and handle SIGTERM in it, "
                   "instead of wrapping it in tini.")
def no_tini(ctx: CheckContext) -> Outcome:
    entrypoint = _entrypoint(ctx)
    names = [posixpath.basename(part) for part in entrypoint[:1]]
    if names and names[0].startswith("tini"):
        return violation(f"ENTRYPOINT starts with {entrypoint[0]}", measured=" ".join(entrypoint))
    return passed("no tini in ENTRYPOINT")
