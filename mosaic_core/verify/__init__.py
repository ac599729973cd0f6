"""The verifier: one mosaic against its plan (``mosaic.py``), a whole export (``export.py``)."""
