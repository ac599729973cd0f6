"""Tests of mosaic_core.text."""
