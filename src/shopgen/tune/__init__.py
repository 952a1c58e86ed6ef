"""Fine-tuning: LoRA adapters for the embedded model, trained on the CPU, served by llama.cpp.

data       training examples: AdvertiseGen-style pairs or the shop's approved drafts
adapters   where adapters live, GGUF export and the checks before llama.cpp loads one (no torch)
train      the LoRA run itself (transformers + peft; ``shopgen[tune]``): top layers only, the
           lower layers' activations computed once, checkpoints, resume, early stopping
"""
