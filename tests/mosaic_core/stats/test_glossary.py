"""The explanations shown next to the numbers."""

from __future__ import annotations

import pytest

from mosaic_core.stats.glossary import EPOCHS_EXPLANATION, MATCHING_EXPLANATION, METRICS, explain


class TestGlossary:
    @pytest.mark.parametrize("key", sorted(METRICS))
    def test_one_sentence_with_reference(self, key: str) -> None:
        """Each explanation is one sentence and names its reference."""
        metric = METRICS[key]
        assert metric.explanation.endswith(".") and metric.explanation.count(". ") == 0
        assert metric.reference and metric.key == key
        assert metric.reference in explain(key)

    def test_required_metrics(self) -> None:
        """Every diversity metric of the issue is explained."""
        assert {"distinct_n", "ngram_diversity", "compression_ratio", "self_bleu", "entropy", "pair_novelty"} <= set(
            METRICS
        )

    def test_epochs_text(self) -> None:
        """The cost explanation says that mosaic epochs replace training epochs."""
        assert "mosaic epochs" in EPOCHS_EXPLANATION and "training epochs" in EPOCHS_EXPLANATION
        assert "same number of words" in MATCHING_EXPLANATION


class TestExportedMembers:
    def test_all_matches_public_names(self) -> None:
        """mosaic_core.stats.__all__ lists exactly its public names."""
        from mosaic_core import stats

        public = {name for name in vars(stats) if not name.startswith("_") and name not in ("annotations",)}
        modules = {name for name in public if type(getattr(stats, name)).__name__ == "module"}
        assert set(stats.__all__) == public - modules
