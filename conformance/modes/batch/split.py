"""Records and mini-batches as a transform job makes them (contract.md batch.split,
batch.payload; API-SM TransformInput.SplitType, BatchStrategy, MaxPayloadInMB): SplitType
None sends each file whole; Line, RecordIO and TFRecord cut it into records; MultiRecord
packs records up to MaxPayloadInMB and never across two files; SingleRecord sends one
record each (binary padding stripped); MaxPayloadInMB 0 sends each file whole, chunked."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from ...errors import UsageError

MB = 1024 * 1024          # MaxPayloadInMB read as MiB, as the 6 MB of InvokeEndpoint is 6 MiB
RECORDIO_MAGIC = 0xCED7230A


@dataclass(frozen=True)
class MiniBatch:
    file: str            # path relative to the input folder
    index: int           # order within the file
    records: int
    body: bytes
    chunked: bool = False   # MaxPayloadInMB 0: sent with chunked transfer encoding


def input_files(folder: Path) -> list:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if not files:
        raise UsageError(f"--input {folder} holds no files", "give a folder with the job's input objects")
    return files


def records(data: bytes, split_type: str, name: str) -> list:
    if split_type == "None":
        return [data]
    if split_type == "Line":
        return [line for line in data.splitlines(keepends=True) if line.strip()]
    if split_type == "RecordIO":
        return _recordio(data, name)
    return _tfrecord(data, name)


def _recordio(data: bytes, name: str) -> list:
    """MXNet RecordIO: uint32 magic, uint32 (flag << 29 | length), data, padding to 4 bytes."""
    out, at = [], 0
    while at < len(data):
        if at + 8 > len(data) or struct.unpack_from("<I", data, at)[0] != RECORDIO_MAGIC:
            raise UsageError(f"{name}: not RecordIO at byte {at} (no magic 0xced7230a)",
                             "give --split-type Line or None for this input")
        length = struct.unpack_from("<I", data, at + 4)[0] & ((1 << 29) - 1)
        end = at + 8 + length + (-length % 4)
        if end > len(data):
            raise UsageError(f"{name}: a RecordIO record at byte {at} runs past the end of the file")
        out.append(data[at:end])
        at = end
    return out


def _tfrecord(data: bytes, name: str) -> list:
    """TFRecord: uint64 length, uint32 masked CRC of it, data, uint32 masked CRC of data."""
    out, at = [], 0
    while at < len(data):
        if at + 12 > len(data):
            raise UsageError(f"{name}: not TFRecord at byte {at} (a truncated header)")
        length = struct.unpack_from("<Q", data, at)[0]
        end = at + 12 + length + 4
        if end > len(data):
            raise UsageError(f"{name}: a TFRecord record at byte {at} runs past the end of the file")
        out.append(data[at:end])
        at = end
    return out


def strip_padding(record: bytes, split_type: str) -> bytes:
    """SingleRecord sends a binary record's data alone (its padding stripped)."""
    if split_type == "RecordIO":
        length = struct.unpack_from("<I", record, 4)[0] & ((1 << 29) - 1)
        return record[8:8 + length]
    if split_type == "TFRecord":
        return record[12:-4]
    return record


def mini_batches(folder: Path, split_type: str, strategy: str, max_payload_mb: int) -> list:
    batches = []
    for path in input_files(folder):
        name = str(path.relative_to(folder))
        data = path.read_bytes()
        if max_payload_mb == 0:
            batches.append(MiniBatch(name, 0, len(records(data, split_type, name)), data, chunked=True))
            continue
        batches += _pack(name, records(data, split_type, name), split_type, strategy, max_payload_mb * MB)
    return batches


def _pack(name: str, found: list, split_type: str, strategy: str, limit: int) -> list:
    for number, record in enumerate(found):
        if len(record) > limit:
            raise UsageError(f"{name}: record {number + 1} is {len(record)} bytes, over MaxPayloadInMB "
                             f"({limit // MB} MB)", "raise --max-payload-mb or split the input finer")
    if strategy == "SingleRecord":
        return [MiniBatch(name, i, 1, strip_padding(r, split_type)) for i, r in enumerate(found)]
    batches, parts, size = [], [], 0
    for record in found + [None]:   # None: the end of the file closes the last mini-batch
        if parts and (record is None or size + len(record) > limit):
            batches.append(MiniBatch(name, len(batches), len(parts), b"".join(parts)))
            parts, size = [], 0
        if record is not None:
            parts.append(record)
            size += len(record)
    return batches or [MiniBatch(name, 0, 0, b"")]
