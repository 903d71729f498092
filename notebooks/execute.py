"""Runs a notebook headless, the way CI does: `python execute.py NOTEBOOK OUTPUT`.

Every cell runs in a fresh kernel from the notebooks' directory (so `import marginal_trino` works);
parameters reach the notebook through the environment. The executed notebook, outputs included,
is written to OUTPUT even when a cell fails, so the failing cell's traceback can be read there.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(notebook: str, output: str) -> int:
    source = Path(notebook).resolve()
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}})
    try:
        client.execute()
        return 0
    except CellExecutionError as failure:
        print(failure, file=sys.stderr)
        return 1
    finally:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, output)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python execute.py NOTEBOOK OUTPUT")
    sys.exit(main(sys.argv[1], sys.argv[2]))
