"""A run's state lives in one object (``culture_hub.run.Run``) and dies with the run.

Pelican's autoreload and the live preview run the same Pelican instance again
after a failed run: nothing of the failed run may show in the next one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import ROOT

from culture_hub.run import KEY, Run

SCRIPT = """
import sys
from pathlib import Path
from pelican import Pelican, signals
from pelican.settings import read_settings
from culture_hub.run import Run
from culture_hub.search.index import SearchPages

content, output = Path(sys.argv[1]), Path(sys.argv[2])
story = content / "stories" / "first.md"
good = story.read_text()
story.write_text(good.replace("departments:", "departments: [no-such-department]\\nold_departments:", 1))
settings = read_settings("publishconf.py", override={"PATH": str(content), "OUTPUT_PATH": str(output)})
pelican = Pelican(settings)
runs = []
def seen(generators):
    runs.append(Run.of(generators[0].settings))
signals.all_generators_finalized.connect(seen)
try:
    pelican.run()
except SystemExit as stop:
    print("first run stopped:", stop.code)
print("state kept after the failure:", sorted(k for k in settings if k.startswith("_")))
story.write_text(good)
print("--- second run ---", file=sys.stderr, flush=True)
pelican.run()
files = runs[1].part(SearchPages).files
print("a fresh run:", runs[0] is not runs[1], "pages to index:", len(files) == len(set(files)))
print("state after the second run:", sorted(k for k in settings if k.startswith("_culture")))
"""


def test_a_failed_run_leaves_nothing_to_the_next_run_of_the_same_instance(
    site, tmp_path: Path
) -> None:
    content = site()
    output = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(content), str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "first run stopped: 1" in done.stdout, done.stdout + done.stderr
    first, _, second = done.stderr.partition("--- second run ---")
    assert "unknown department 'no-such-department'" in first
    assert "error" not in second, second
    assert "a fresh run: True pages to index: True" in done.stdout
    assert "state after the second run: []" in done.stdout  # dropped at `finalized`
    assert (output / "index.html").is_file()
    assert not list(tmp_path.glob(".out.staging-*"))  # the failed run's folder is gone


def test_a_run_that_began_generating_and_never_finished_is_replaced() -> None:
    settings: dict[str, object] = {}
    first = Run.of(settings)
    first.part(dict)["kept"] = True  # a part made before generating (at `initialized`)
    assert Run.begin_generating(settings) is first
    assert first.part(dict) == {"kept": True}
    second = Run.begin_generating(settings)  # the first run failed and a new one begins
    assert second is not first
    assert second.part(dict) == {}
    Run.end(settings)
    assert KEY not in settings
