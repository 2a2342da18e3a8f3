"""Audit the locked dependencies with pip-audit; skip with a message when it cannot reach a database.

Run by ``make audit`` (part of ``make test``) from pip-audit's own virtual environment, so its
dependencies never mix with the project's. Exit status: 0 when no known vulnerability was found
(or the vulnerability database could not be reached), 1 when one was.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main(pip_audit: str, lock: str) -> int:
    """Run pip-audit on ``lock`` and summarise in one line."""
    try:
        completed = subprocess.run(
            [
                pip_audit,
                "-r",
                lock,
                "--disable-pip",
                "--no-deps",
                "-f",
                "json",
                "--progress-spinner",
                "off",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"pip-audit: skipped, could not run ({error})")
        return 0
    try:
        report = json.loads(completed.stdout or "{}")
    except json.JSONDecodeError:
        print("pip-audit: skipped, the vulnerability database could not be reached")
        return 0
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        print(
            f"pip-audit: skipped, the vulnerability database could not be reached "
            f"({len(deps)} locked packages not audited)"
        )
        return 0
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep['version']}: {ids}")
    print(
        f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} with known vulnerabilities"
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
