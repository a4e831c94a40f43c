"""The installed wheel does what the README's tour shows: version, labels, check, parse, plan, serve."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import time
import tomllib

import httpx

from smoke.conftest import ROOT, Installed

CASE = {
    "today": "2026-03-01",
    "patient": {"age_years": 34},
    "orders": [{"start": "2026-03-01", "dose_mg": 0.5, "times_per_day": 3}],
}


def test_pip_finds_every_requirement_installed(installed: Installed) -> None:
    done = installed.run("pip", "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_is_imported_from_the_environment_not_the_checkout(installed: Installed) -> None:
    done = installed.run("python", "-c", "import clonaguard.labels.load as m; print(m.__file__)")
    assert done.stdout.startswith(str(installed.venv)), done.stdout + done.stderr


def test_version_is_the_one_set_in_the_package(installed: Installed) -> None:
    """pyproject reads the version from `clonaguard/__init__.py`: the wheel's name and --version agree with it."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "clonaguard.__version__"}
    source = (ROOT / "src" / "clonaguard" / "__init__.py").read_text(encoding="utf-8")
    (expected,) = re.findall(r'^__version__ = "([^"]+)"$', source, flags=re.MULTILINE)
    assert installed.run("clonaguard", "--version").stdout.strip() == f"clonaguard {expected}"
    assert installed.wheel.name.startswith(f"clonaguard-{expected}-")


def test_shipped_labels_load_with_their_documents(installed: Installed) -> None:
    names = installed.run("clonaguard", "labels").stdout.split()
    assert "clonazepam-leaflet" in names
    for name in names:
        done = installed.run("clonaguard", "label", "--json", "--label", name)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["profile"]["name"] == name


def test_check_from_options_and_from_a_case_on_standard_input(installed: Installed) -> None:
    flagged = installed.run("clonaguard", "check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--json")
    assert flagged.returncode == 1
    assert "START_DOSE_ABOVE_MINIMUM" in [f["code"] for f in json.loads(flagged.stdout)["findings"]]
    clean = installed.run("clonaguard", "check", "--case", "-", stdin=json.dumps(CASE))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    refused = installed.run("clonaguard", "check", "--dose-mg", "2", "--times-per-day", "3", "--age", "121")
    assert refused.returncode == 2
    assert "--age" in refused.stderr


def test_parse_reads_a_sig(installed: Installed) -> None:
    done = installed.run("clonaguard", "parse", "Klonopin 0,5 mg 1 tab po tid between meals", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["dose_mg"] == {"min": 0.5, "max": 0.5}


def test_plan_prints_a_taper_and_a_calendar(installed: Installed) -> None:
    table = installed.run("clonaguard", "plan", "taper", "--from", "2 mg tid", "--start", "2026-12-01")
    assert table.returncode == 0, table.stderr
    assert "2026-12-01" in table.stdout
    calendar = installed.run("clonaguard", "plan", "titrate", "--age", "34", "--target-mg", "3", "--start",
                             "2026-12-01", "--ics", "-")  # fmt: skip
    assert calendar.stdout.startswith("BEGIN:VCALENDAR")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_migrates_a_new_sqlite_file_and_answers(installed: Installed) -> None:
    database = installed.workdir / "serve" / "audit.db"
    port = _free_port()
    server = subprocess.Popen(
        [str(installed.bin / "clonaguard"), "serve", "--port", str(port)],
        cwd=installed.workdir,
        env={**installed.environment(), "CLONAGUARD_DATABASE_URL": f"sqlite:///{database}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.1)
        report = httpx.post(f"{base}/v1/check", json=CASE, timeout=10)
        assert report.status_code == 200, report.text
        assert report.json()["findings"] == []
        services = httpx.get(f"{base}/cds-services", timeout=10).json()["services"]
        assert {service["id"] for service in services} >= {"clonaguard-order-select", "clonaguard-order-sign"}
    finally:
        server.terminate()
        server.communicate(timeout=10)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() is not None
        assert db.execute("SELECT count(*) FROM check_log").fetchone() == (1,)
