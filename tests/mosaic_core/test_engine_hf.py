"""The engine with a Hugging Face tokenizer.json: exact counts by encoding, budget held."""

from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from mosaic_core import MosaicConfig, MosaicRun, SourceTable, load_dataset, verify_mosaic
from tests.conftest import DEMO


def byte_level_bpe(tmp_path: Path) -> Path:
    """A small byte-level BPE trained here on the demo texts (no download)."""
    records = load_dataset(DEMO).records
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator([f"{r.prompt_text}\n{r.response_text}" for r in records], trainer)
    path = tmp_path / "tokenizer.json"
    tokenizer.save(str(path))
    return path


class TestHfTokenizerEngine:
    def test_budget_holds_and_counts_are_real(self, tmp_path: Path) -> None:
        """Every mosaic's recorded tokens equal a real encode and stay within a tight budget."""
        name = f"hf:{byte_level_bpe(tmp_path)}"
        records = load_dataset(DEMO).records[:60]
        config = MosaicConfig(tokenizer=name, max_tokens=700, epochs=1, k_mode="max_length")
        run = MosaicRun(SourceTable.build(records, name), config)
        assert not run.counter.additive
        mosaics = list(run.mosaics())
        assert mosaics and max(m.plan.k for m in mosaics) > 1
        for mosaic in mosaics:
            verdict = verify_mosaic(mosaic, run.library, run.counter, 700)
            assert verdict.ok, verdict.problems
