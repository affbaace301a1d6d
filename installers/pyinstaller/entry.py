"""The frozen app's entry script: the same ``main`` as the ``hybrid-desktop`` console script."""

import multiprocessing

from hybrid_desktop.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a library spawns worker processes
    raise SystemExit(main())
