"""``python -m vosp_monitor`` runs the command line (same as ``vosp-monitor``)."""

from .cli import main

if __name__ == "__main__":
    main()
