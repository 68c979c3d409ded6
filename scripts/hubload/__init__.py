"""The parts of scripts/hub_load.py: the hub process, a simulated student, cells, measurements."""
