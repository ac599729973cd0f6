"""The template packs, one JSON file per language (``docs/template_packs.md``); ``python -m`` checks one."""
