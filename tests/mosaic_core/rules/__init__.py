"""Tests of mosaic_core.rules."""
