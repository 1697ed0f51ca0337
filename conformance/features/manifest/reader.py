"""An image as it would reach the registry, read from what a build or a copy writes on
disk: an OCI layout (a folder with index.json, or its tar: `docker buildx build --output
type=oci`, `skopeo copy ... oci:` / `oci-archive:`), a `skopeo copy ... dir:` folder (one
manifest.json with its media type), or a `docker save` archive (no media types at all).
Only media types and annotations are read, never a layer."""
from __future__ import annotations

import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ...errors import UsageError

MAX_JSON_BYTES = 4 * 1024 * 1024   # an index or a manifest is small; a larger one is not read
ATTESTATION = "attestation-manifest"   # vnd.docker.reference.type of buildx' provenance manifests


@dataclass
class Layout:
    shape: str                                  # oci-layout | manifest-dir | docker-archive
    media_types: list = field(default_factory=list)   # (where, media type) of every index and manifest
    attestations: int = 0                       # buildx attestation manifests in an index


def read_layout(path: Path) -> Layout:
    """What `path` holds (a folder or a tar); UsageError when it is none of the shapes."""
    try:
        if path.is_dir():
            return _read(lambda name: _file(path / name))
        if tarfile.is_tarfile(path):
            with tarfile.open(path) as tar:
                return _read(lambda name: _member(tar, name))
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise UsageError(f"cannot read --image-layout {path}: {exc}") from None
    raise UsageError(f"--image-layout {path} is neither a folder nor a tar",
                     "an OCI layout (docker buildx build --output type=oci,dest=...; skopeo copy ... oci:DIR), "
                     "or skopeo copy ... dir:DIR")


def _read(open_json: Callable[[str], Optional[dict]]) -> Layout:
    index, manifest = open_json("index.json"), open_json("manifest.json")
    if isinstance(manifest, list):   # docker save: [{"Config", "RepoTags", "Layers"}]
        return Layout("docker-archive")
    if isinstance(index, dict):
        layout = Layout("oci-layout")
        _walk(index, "index.json", open_json, layout, depth=0)
        return layout
    if isinstance(manifest, dict) and "mediaType" in manifest:
        return Layout("manifest-dir", [("manifest.json", manifest["mediaType"])])
    raise ValueError("no index.json (OCI layout) or manifest.json (skopeo dir:, docker save) in it")


def _walk(index: dict, where: str, open_json, layout: Layout, depth: int) -> None:
    """Every descriptor of an index, and of the indexes it names (two levels: buildx'
    exports nest an index of the image and its attestations in the layout's own)."""
    for descriptor in index.get("manifests") or []:
        media = descriptor.get("mediaType", "")
        annotations = descriptor.get("annotations") or {}
        if annotations.get("vnd.docker.reference.type") == ATTESTATION:
            layout.attestations += 1
        layout.media_types.append((f"{where} -> {descriptor.get('digest', '?')[:19]}", media))
        if media.endswith("image.index.v1+json") and depth < 2:
            nested = open_json(_blob(descriptor.get("digest", "")))
            if isinstance(nested, dict):
                _walk(nested, f"{where} -> index", open_json, layout, depth + 1)


def _blob(digest: str) -> str:
    algorithm, _, hexdigest = digest.partition(":")
    return f"blobs/{algorithm}/{hexdigest}"


def _file(path: Path):
    if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_JSON_BYTES:
        return None
    return json.loads(path.read_bytes())


def _member(tar: tarfile.TarFile, name: str):
    for candidate in (name, f"./{name}"):
        try:
            info = tar.getmember(candidate)
        except KeyError:
            continue
        if not info.isfile() or info.size > MAX_JSON_BYTES:
            return None
        handle = tar.extractfile(info)
        return json.loads(handle.read()) if handle is not None else None
    return None
