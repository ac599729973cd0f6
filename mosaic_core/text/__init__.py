"""Meta-instruction text: decoration, templates, the composer and its inverse."""
