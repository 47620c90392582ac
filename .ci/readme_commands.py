"""Print the README's set-up lines, one a line, exactly as the README writes them.

They are the command lines of the first ``sh`` block under "## Quick start" (comments and blank lines
left out). ``tests/test_ci.py`` checks that ``.ci/run`` holds exactly these lines, so CI and the README
cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

QUICK_START = re.compile(r"^## Quick start\n.*?^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def setup_lines(readme: str) -> list[str]:
    block = QUICK_START.search(readme)
    if block is None:
        raise SystemExit("README.md: no ```sh block under '## Quick start'")
    return [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


if __name__ == "__main__":
    for line in setup_lines(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md").read_text("utf-8")):
        print(line)
