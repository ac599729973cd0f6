"""Generation: k draws, the budget tally, the epoch walk, parallel epochs and Ray."""
