"""The hacienda-cr command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import OWN_FIXTURES, REPO
from hacienda_cr.cli import main

INPUTS = OWN_FIXTURES / "inputs"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_inspect_human_summary() -> None:
    code, text = run("inspect", str(INPUTS / "status_rechazado_montos.json"))
    assert code == 0
    assert "ind-estado rechazado" in text
    assert "-45" in text and "amounts" in text
    assert "Amounts do not add up" in text


def test_inspect_spanish_hints() -> None:
    _, text = run("inspect", "--lang", "es", str(INPUTS / "mh_v41_firma_invalida.xml"))
    assert "vuelva a firmar" in text


def test_inspect_json_one_object_per_file() -> None:
    code, text = run(
        "inspect", "--json", str(INPUTS / "fe_v44_ferreteria.xml"), str(INPUTS / "mr_v44_parcial.xml")
    )
    lines = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and len(lines) == 2
    assert lines[0]["type"] == "DocumentSummary" and lines[0]["value"]["clave"].startswith("506")
    assert lines[1]["value"]["mensaje"] == "partially_accepted"


def test_inspect_reports_bad_files_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<MensajeHacienda><Clave>1</Clave>")
    code, text = run("inspect", str(bad), str(tmp_path / "missing.xml"))
    assert code == 1
    assert "ParseError (xml)" in text and "cannot read" in text
    code, text = run("inspect", "--json", str(bad))
    assert json.loads(text)["error"]["kind"] == "xml"


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).parent / "hacienda-cr"
    proc = subprocess.run(
        [str(exe), "inspect", str(REPO / "examples" / "inspect" / "tiquete_v44.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "TiqueteElectronico v4.4" in proc.stdout
