"""Fills fuzz/corpus/<target>/ with seeds: the repo's vectors and, when present, the public
samples of ../shared/fixtures/hacienda (copied at run time into the gitignored corpus, never
committed). Plain Python, no dependencies."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
INPUTS = REPO / "tests" / "fixtures" / "inputs"
HOSTILE = REPO / "tests" / "fixtures" / "hostile"


def shared() -> Path | None:
    env = os.environ.get("HACIENDA_FIXTURES")
    if env:
        return Path(env)
    for parent in [REPO, *REPO.parents]:
        candidate = parent / "shared" / "fixtures" / "hacienda"
        if candidate.is_dir():
            return candidate
    return None


def files(folder: Path | None, pattern: str = "*") -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if p.is_file())


def http_seeds(root: Path | None) -> list[bytes]:
    """status (2 bytes LE) + header lines + blank line + body, as the http_outcome target reads."""
    seeds = [
        (202, ["Location: https://x/recepcion/1"], b""),
        (400, ["X-Error-Cause: El comprobante con la Clave [506] ya fue recibido."], b""),
        (401, [], b'{"error": "Key not authorized: Token used before issued"}'),
        (429, ["Retry-After: 30", "X-Ratelimit-Remaining: 0"], b""),
        (520, [], b"<html><title>Origin Error</title></html>"),
    ]
    if root is not None:
        log = root / "derived" / "tropical_post_http_log_from_sql.json"
        if log.is_file():
            for entry in json.loads(log.read_text(encoding="utf-8"))["entries"]:
                headers = re.findall(r"(X-[A-Za-z-]+: [^\"\\]*)", entry["logged_text"])
                seeds.append((int(entry["http_status"]), headers, b""))
    return [
        status.to_bytes(2, "little") + "\n".join(h).encode() + b"\n\n" + body for status, h, body in seeds
    ]


def main() -> None:
    root = shared()
    responses = files(root / "responses" if root else None)
    documents = files(root / "documents" if root else None)
    wrapped = [
        json.dumps(
            {
                "clave": "5" * 50,
                "ind-estado": "rechazado",
                "respuesta-xml": base64.b64encode(p.read_bytes()).decode(),
            }
        ).encode()
        for p in responses
    ]
    seeds: dict[str, list[bytes]] = {
        "status": [p.read_bytes() for p in files(INPUTS, "*.json")] + wrapped,
        "message": [p.read_bytes() for p in files(INPUTS, "*.xml") + responses],
        "http_outcome": http_seeds(root),
        "clave": [
            m.encode()
            for p in files(INPUTS) + responses + documents
            for m in re.findall(r"\d{50}(?:-\d{20})?|\d{20}", p.name)
        ]
        + [b"50627091800011187076300200001010000000007100011154", b"00100001010000000007"],
        "document": [p.read_bytes() for p in files(INPUTS) + documents + responses + files(HOSTILE)],
    }
    seeds["inspect"] = seeds["document"] + seeds["status"]
    # The planners read their records from raw bytes: a few deterministic byte patterns.
    seeds["planners"] = [bytes(range(256)) * k for k in (1, 4, 16)] + [b"\x00" * 512, b"\xff" * 512]
    for target, items in seeds.items():
        folder = FUZZ / "corpus" / target
        folder.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(items):
            (folder / f"seed-{i:04d}").write_bytes(data)
        print(f"{target}: {len(items)} seeds")


if __name__ == "__main__":
    main()
