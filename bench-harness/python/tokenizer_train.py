"""Train a BPE tokenizer on a text file (one document per line) and print what it learned.

    python tokenizer_train.py ENGINE INPUT VOCAB_SIZE

ENGINE ``tokenizers`` (or ``pyaot_tokenizer.hf``, the same program on our drop-in) is
HuggingFace's reference configuration for the `tokenizer-train` suite:
``Tokenizer(models.BPE())``, ``ByteLevel(add_prefix_space=False, use_regex=True)``,
``BpeTrainer(vocab_size, min_frequency=0, initial_alphabet=ByteLevel.alphabet())`` and
``train_from_iterator`` over the lines (without their newline); it prints
``{"vocab":[token by id...],"merges":[[a,b]...]}``, exactly what
``libs/tokenizer/examples/train.rs`` prints. Threads: set ``RAYON_NUM_THREADS=1`` and
``TOKENIZERS_PARALLELISM=false`` for one.

ENGINE ``sentencepiece`` trains SentencePiece's BPE (a different algorithm, so only the vocabulary
size is comparable) for the `tokenizer-train-spm` suite and prints ``vocab=N``. Options:
``model_type="bpe"``, ``character_coverage=1.0`` (every character, as byte-level BPE covers
every byte), ``input_sentence_size=0`` (every line, no sampling), ``shuffle_input_sentence=False``,
``max_sentence_length=1<<20`` (no line skipped for length; the default skips lines over 4192
bytes), ``num_threads`` = the CPU count, other options default (``add_dummy_prefix``,
whitespace splitting, ``split_digits=False``).
"""

import importlib
import json
import os
import sys
import tempfile

engine, path, vocab_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
if engine in ("tokenizers", "pyaot_tokenizer.hf"):
    # The same program on both: pyaot_tokenizer.hf is a drop-in for tokenizers.
    hf = importlib.import_module(engine)
    Tokenizer, models, pre_tokenizers, trainers = hf.Tokenizer, hf.models, hf.pre_tokenizers, hf.trainers

    with open(path, encoding="utf-8") as f:
        documents = f.read().splitlines()
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=0,
        special_tokens=[],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(documents, trainer)
    model = json.loads(tokenizer.to_str())["model"]
    vocab = [token for token, _ in sorted(model["vocab"].items(), key=lambda item: item[1])]
    out = json.dumps({"vocab": vocab, "merges": model["merges"]}, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
elif engine == "sentencepiece":
    import sentencepiece

    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "model")
        sentencepiece.SentencePieceTrainer.train(
            input=path,
            model_prefix=prefix,
            model_type="bpe",
            vocab_size=vocab_size,
            character_coverage=1.0,
            input_sentence_size=0,
            shuffle_input_sentence=False,
            max_sentence_length=1 << 20,
            num_threads=os.cpu_count() or 1,
            minloglevel=2,
        )
        processor = sentencepiece.SentencePieceProcessor(model_file=prefix + ".model")
        print(f"vocab={processor.get_piece_size()}")
else:
    sys.exit(f"unknown engine {engine!r}")
