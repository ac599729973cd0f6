"""Tests of mosaic_core, one folder per subpackage, one file per module."""
