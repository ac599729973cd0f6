"""Tests of mosaic_core.io."""
