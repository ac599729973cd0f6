"""The app package of Mosaic Studio: what the pages share, one concern per module.

``folders`` says where data may be read and written, ``state`` keeps the session's
dataset and recipe, ``cache`` holds the cached loaders (every input in the key),
``html`` renders dataset text as escaped HTML, and ``progress`` draws progress bars.
Everything that computes lives in ``mosaic_core``; pages import its public API
(``from mosaic_core import X``) and this package, nothing else of the project.
"""
