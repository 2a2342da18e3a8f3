"""``make lab`` through make: JupyterLab installed into the project's environment, serving
``notebooks/`` with the project's kernel as the default, and that kernel starting."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "reportgen-test-lab"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(port: int, path: str, method: str = "GET", body: dict | None = None) -> object:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else None


@pytest.mark.slow
def test_make_lab_serves_the_notebooks_with_the_project_kernel(tmp_path):
    port = _free_port()
    lab_args = (
        f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
        f"--IdentityProvider.token={TOKEN} --ServerApp.open_browser=False"
    )
    log = (tmp_path / "lab.log").open("w")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    lab = subprocess.Popen(
        ["make", "lab", f"LAB_ARGS={lab_args}"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,  # make, jupyter and its kernels: one group to stop
    )
    try:
        deadline = time.monotonic() + 600  # the first run installs JupyterLab (pinned)
        specs = None
        while specs is None:
            if lab.poll() is not None:
                pytest.fail(f"make lab stopped: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"no server: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            try:
                specs = _api(port, "kernelspecs")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        assert specs["default"] == "reportgen"
        assert "reportgen" in specs["kernelspecs"]

        reports = _api(port, "contents/reports")
        names = {item["name"] for item in reports["content"]}
        assert {"sufficiency.ipynb", "adoption.ipynb", "care_leavers.ipynb"} <= names
        explore = _api(port, "contents/explore")
        assert any(item["name"].endswith(".ipynb") for item in explore["content"])

        # a kernel started by the server runs the project's code
        kernel = _api(port, "kernels", "POST", {"name": "reportgen"})
        connection = tmp_path / "runtime" / f"kernel-{kernel['id']}.json"
        client = BlockingKernelClient(connection_file=str(connection))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            printed: list[str] = []
            reply = client.execute_interactive(
                "import reportgen.report.notebook_api as api; print(api.__file__)",
                timeout=120,
                output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            )
            assert reply["content"]["status"] == "ok"
            assert "".join(printed).strip() == str(ROOT / "src/reportgen/report/notebook_api.py")
        finally:
            client.stop_channels()
        _api(port, f"kernels/{kernel['id']}", "DELETE")
    finally:
        _stop(lab)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    """Stop make, the server and its kernels (one process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue
