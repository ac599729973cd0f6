"""Build a tiny random Llama and a tokenizer trained here, with a chat template, in a folder (no hub).

usage: python tiny_model.py OUT_DIR TEXT_FILE...

Runs inside a trainer environment (``.venv-trainers-*``), which has transformers and tokenizers. The chat
template renders system prompts, tools, tool calls and tool results, so a test can find each of them in
the tokens a trainer trains on.
"""

import sys
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

CHAT_TEMPLATE = (
    "{% if tools %}<|tools|>{{ tools | tojson }}<|end|>\n{% endif %}"
    "{% for message in messages %}<|{{ message['role'] }}|>"
    "{% if message.get('tool_calls') %}{% for call in message['tool_calls'] %}"
    "<|call|>{{ call['function']['name'] }} {{ call['function']['arguments'] }}{% endfor %}"
    "{% else %}{{ message['content'] }}{% endif %}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
SPECIAL = ["<unk>", "<s>", "</s>", "<pad>", "<|end|>", "<|call|>", "<|tools|>"]
SPECIAL += [f"<|{role}|>" for role in ("system", "user", "assistant", "tool")]


def main(out: Path, corpus: list[Path]) -> None:
    lines = [line for path in corpus for line in path.read_text(encoding="utf-8").splitlines()]
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    alphabet = pre_tokenizers.ByteLevel.alphabet()  # every byte, so any text round-trips
    tokenizer.train_from_iterator(
        lines, trainers.BpeTrainer(vocab_size=800, special_tokens=SPECIAL, initial_alphabet=alphabet)
    )
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
    )
    wrapped.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(
        vocab_size=len(wrapped),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        bos_token_id=wrapped.bos_token_id,
        eos_token_id=wrapped.eos_token_id,
        pad_token_id=wrapped.pad_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(out)
    wrapped.save_pretrained(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
