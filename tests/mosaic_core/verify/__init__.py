"""Tests of mosaic_core.verify."""
