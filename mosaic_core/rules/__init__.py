"""Permute and maskout rules: one registry (``registry.py``), one unit per rule."""
