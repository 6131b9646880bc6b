"""`sokbo bench`: sokbo measured on the shared data beside the peers of BENCHMARKS.md.

One module per bench (``extract``, ``cluster``, ``quality``); ``common`` finds ``../shared``
and prints reports. The data is never copied into the repository.
"""
