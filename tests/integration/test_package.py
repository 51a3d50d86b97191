"""One installable package: every capability loads in any order, a missing one stops the build."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT

import culture_hub

LOAD = """
import logging, sys
from pelican.plugins._utils import load_plugins
records = []
class Catch(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())
logging.getLogger().addHandler(Catch())
plugins = load_plugins({"PLUGINS": sys.argv[1:], "PLUGIN_PATHS": []})
assert len(plugins) == len(sys.argv) - 1, (plugins, records)
assert not [r for r in records if "Cannot" in r], records
print("loaded", len(plugins))
"""

NAMES = [f"culture_hub.{name}" for name in culture_hub.CAPABILITIES]
ORDERS = [NAMES, NAMES[::-1]] + [random.Random(seed).sample(NAMES, len(NAMES)) for seed in range(4)]


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: ",".join(n.split(".")[1][:4] for n in o))
def test_every_capability_loads_in_any_order(order: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOAD, *order],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"loaded {len(order)}" in done.stdout


@pytest.mark.parametrize("name", NAMES)
def test_each_capability_loads_alone(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOAD, name], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


# Run Pelican's own command line with one capability made unimportable (as a
# missing file or a broken install would make it), then see what the build does.
BROKEN = """
import sys
from importlib.abc import MetaPathFinder
broken = sys.argv.pop(1)
class Broken(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == broken:
            raise ImportError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, Broken())
from pelican import main
sys.argv[0] = "pelican"
main()
"""


@pytest.mark.parametrize("capability", ["atomic_output.plugin", "content_model", "search"])
def test_a_capability_that_fails_to_load_stops_the_build_before_anything_is_written(
    tmp_path: Path, capability: str
) -> None:
    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(FIXTURES / "basic"), str(content)], check=True)
    output = tmp_path / "output"
    done = subprocess.run(
        [sys.executable, "-c", BROKEN, f"culture_hub.{capability}", str(content),
         "-s", str(ROOT / "publishconf.py"), "-o", str(output)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 1, log
    top = capability.split(".", maxsplit=1)[0]
    assert "The culture hub could not load " in done.stderr, log
    assert f"{top}: ImportError" in done.stderr
    assert "nothing was built" in done.stderr
    assert "Traceback" not in log
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_settings_without_the_package_stop_with_the_fix(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c",
         "import runpy, sys; sys.path[:0] = [sys.argv[1]]; runpy.run_path(sys.argv[2])",
         "/nonexistent", str(ROOT / "pelicanconf.py")],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "The culture hub's plugins are not installed" in done.stderr
    assert "pip install -r requirements.lock" in done.stderr


# Registering the package holds the garbage collector only while the capabilities
# load (a twentieth of a second of every build's start), then gives it back as it was.
COLLECTOR = """
import gc, sys
from pelican import signals
import culture_hub
seen = []
real = culture_hub.importlib.import_module
def watching(name):
    seen.append(gc.isenabled())
    return real(name)
culture_hub.importlib.import_module = watching
was = sys.argv[1] == "on"
(gc.enable if was else gc.disable)()
culture_hub.register()
assert seen and not any(seen), seen
assert gc.isenabled() is was
print("ok")
"""


@pytest.mark.parametrize("state", ["on", "off"])
def test_the_collector_waits_while_capabilities_load_and_is_given_back(state: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR, state],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok" in done.stdout
