"""Token counters: a lazy registry, one module per kind of counter, exact piece-wise counting."""
