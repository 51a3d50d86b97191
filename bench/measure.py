"""Run one Pelican build in this process and print its peak memory as JSON.

Used by ``invoke bench``: the wall time is measured by the caller; this
reports the peak resident memory of the build and of anything it started
(worker processes, Pagefind), the larger of the two, in MB.
"""

from __future__ import annotations

import json
import resource
import sys

from pelican import main


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KB


if __name__ == "__main__":
    code = 0
    try:
        main(sys.argv[1:])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    print(json.dumps({"peak_mb": round(peak_mb(), 1), "code": code}), file=sys.stderr)
    sys.exit(code)
