"""Tests of mosaic_core.generate."""
