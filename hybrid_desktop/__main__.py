"""``python -m hybrid_desktop``: the same entry point as the ``hybrid-desktop`` command."""

from hybrid_desktop.app import main

raise SystemExit(main())
