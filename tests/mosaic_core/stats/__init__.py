"""Tests of mosaic_core.stats."""
