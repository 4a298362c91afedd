//! The HuggingFace-style pipeline.
