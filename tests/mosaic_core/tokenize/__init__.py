"""Tests of mosaic_core.tokenize."""
