"""The trainer tests run scripts inside the trainers' own environments; pytest never imports those scripts."""

collect_ignore = ["tiny_model.py", "trl_tokens.py", "llamafactory_tokens.py", "axolotl_tokens.py"]
