"""Fuzzing's report section: each failure's minimal input (escaped, attached whole), the
response, /ping afterwards, the replay flags and the container's log tail."""
from __future__ import annotations

from typing import Optional

from ...model import Block, Section, Status
from ...registry import section


def _block(result) -> Block:
    found, response = result.details["minimal_input"], result.details.get("response", {})
    headers = [f"{k}: {v!r}" for k, v in found["headers"].items()]
    headers += [f"no {name} header" for name in found["headers_left_out"]]
    text = (f"Minimal input ({found['body_bytes']} bytes, shrunk by hypothesis; smallest of "
            f"{found['failing_examples_seen']} failing examples). Headers: {'; '.join(headers) or 'none'}. "
            f"Response: {response.get('status') or response.get('error')} in {response.get('elapsed_s')} s "
            f"{response.get('body_head', '')!s}. Then: {result.details.get('after', '')}. "
            f"Replay: {result.details.get('replay', '')}")
    pre = f"{found['body_escaped']}\n\n-- container log right after the minimal example --\n" \
          f"{result.details.get('log_tail', '')}"
    return Block(f"{result.id}: {found['kind']}", text, pre, (f"{result.id}-input.bin", found["body_base64"]))


@section
def findings_section(results, probes) -> Optional[Section]:
    found = [r for r in results if r.status is not Status.PASS and r.details.get("minimal_input")]
    if not found:
        return None
    return Section("fuzz.findings", "Fuzzing: minimal failing inputs", f"{len(found)} minimal failing input(s)",
                   blocks=tuple(_block(r) for r in found))
