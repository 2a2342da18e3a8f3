"""Parameters reach notebooks as literal values: a parameter holding code is not executed."""

from __future__ import annotations

import json

import papermill
import pytest

from reportgen.core.config import load_params
from reportgen.run.kernels import ReusableKernel

pytestmark = pytest.mark.slow

PAYLOADS = [
    '"; open(MARKER, "w").write("pwned"); "',
    "'; open(MARKER, 'w').write('pwned'); '",
    '\\"; open(MARKER, "w").write("pwned"); #',
    '"""\nopen(MARKER, "w").write("pwned")\n"""',
    "{{ ''.__class__.__mro__ }} __import__('os').system('touch MARKER')",
]


def test_code_in_a_parameter_is_data_not_code(tmp_path, probe_notebook):
    marker = tmp_path / "marker"
    source = probe_notebook(
        "params = None\nout = ''",
        "import json\nopen(out, 'w').write(json.dumps(params['committee']))",
    )
    with ReusableKernel() as kernel:
        _run_all(source, tmp_path, marker, kernel)


def _run_all(source, tmp_path, marker, kernel):
    for index, payload in enumerate(PAYLOADS):
        text = payload.replace("MARKER", str(marker))
        params = load_params("E10000018", "2024-25", overrides={"committee": text})
        out = tmp_path / f"out{index}.json"
        papermill.execute_notebook(
            str(source),
            str(tmp_path / f"run{index}.ipynb"),
            parameters={"params": params.to_notebook_parameters(), "out": str(out)},
            kernel_name="reportgen",
            km=kernel.start(),
            progress_bar=False,
        )
        assert json.loads(out.read_text()) == text
        assert not marker.exists()
