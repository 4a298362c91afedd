//! BPE and WordPiece training, identical to HuggingFace `tokenizers`' trainers.
