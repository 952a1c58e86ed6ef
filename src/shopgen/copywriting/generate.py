"""The copywriter: prompt, generate, check grounding and compliance, repair or regenerate.

>>> from shopgen.models.llm.fake import FakeGenerator
>>> cw = Copywriter(FakeGenerator(replies=["白色纯棉T恤 圆领短袖"]))
>>> cw.generate([("类型", "T恤"), ("颜色", "白色"), ("材质", "纯棉")], "title").text
'白色纯棉T恤 圆领短袖'

Policy: compliance flags are always rewritten (deterministic, no model call). A *contradicted*
fact (wrong colour, wrong price) or a draft that does not fit its kind makes the model try again
(at most ``max_attempts`` in all), with the problems named in the prompt. Whatever is still wrong
after the last attempt is repaired by dropping the clauses that state it, unless that would leave
too little (an *unsupported* detail is dropped at once, without a retry); what cannot be repaired
is reported in ``CopyResult.issues``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from shopgen.copywriting import compliance, grounding, seasons, shape
from shopgen.copywriting.attrs import Facts, check_facts, values_of
from shopgen.copywriting.exemplars import ExemplarStore
from shopgen.copywriting.prompts import build_messages, check_kind, check_lang, exemplar_length
from shopgen.models.llm.base import TextGenerator


@dataclass
class CopyResult:
    text: str
    kind: str
    issues: list[dict] = field(default_factory=list)  # grounding + form problems left in ``text``
    compliance: list[dict] = field(default_factory=list)  # flags found in the kept draft, already rewritten
    attempts: int = 1
    model: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Copywriter:
    """Grounded, compliant copy from product facts.

    ``exemplars`` (an :class:`ExemplarStore`) adds up to ``k`` similar copies as style guides;
    ``banned_words`` is a word-list path or an iterable of words (None: the shipped list);
    ``category`` decides whether medical-claim rules apply (None: they do).
    """

    def __init__(
        self,
        llm: TextGenerator,
        exemplars: ExemplarStore | None = None,
        banned_words: str | Path | Iterable[str] | None = None,
        *,
        k: int = 2,
        max_attempts: int = 2,
    ) -> None:
        self.llm, self.exemplars, self.k, self.max_attempts = llm, exemplars, k, max(1, max_attempts)
        # a word-list file is read once here, not on every check of every draft
        self.banned = (
            list(compliance.load_words(banned_words))
            if isinstance(banned_words, (str, Path))
            else (list(banned_words) if banned_words is not None else None)
        )

    # -- the pieces ------------------------------------------------------------------------------
    def messages(
        self,
        facts: Facts,
        kind: str,
        audience=None,
        tone=None,
        lang="zh",
        feedback=None,
        exclude: str | None = None,
        use_exemplars: bool = True,
    ) -> list:
        examples = None
        if use_exemplars and self.exemplars is not None and self.k > 0:
            examples = [e.summary for e in self.exemplars.similar(facts, self.k, exclude=exclude)]
        return build_messages(
            facts,
            kind,
            audience=audience,
            tone=tone,
            lang=lang,
            exemplars=examples,
            feedback=feedback,
            length=exemplar_length(kind, examples or [], lang),
        )

    def decoding(self, kind: str) -> dict:
        spec = check_kind(kind)
        out = {"max_tokens": spec.max_tokens, "temperature": spec.temperature}
        if spec.repeat_penalty is not None:
            out["repeat_penalty"] = spec.repeat_penalty
        return out

    def check(self, text: str, facts: Facts, kind: str, lang: str = "zh") -> tuple[str, list[dict], list[dict]]:
        """Shape ``text`` for ``kind``, put the product's own season for any other (冬日 → 夏日), rewrite
        compliance flags; return (text, issues, compliance flags)."""
        category = next(iter(values_of(facts, "类型")), None)
        text = shape.shape(seasons.fix(text, facts), kind, lang)
        flags = compliance.check(text, category=category, banned=self.banned)
        if flags:
            text = shape.shape(compliance.rewrite(text, category=category, banned=self.banned), kind, lang)
        if kind == "social_post":
            text = shape.add_hashtags(text, [v for k, v in facts if k in ("类型", "品牌", "风格")])
        return text, grounding.check(text, facts) + shape.problems(text, kind, lang), flags

    def repair(self, text: str, issues: list[dict], facts: Facts, kind: str, lang: str) -> tuple[str, list[dict]]:
        """Drop the clauses stating grounding issues, as long as that adds no length or structure problem."""
        spans = [i["span"] for i in issues if i["span"] is not None]
        if not spans or kind == "title":
            return text, issues
        form_before = {i["type"] for i in issues if i["span"] is None}
        fixed = shape.drop_clauses(text, spans)
        fixed_issues = grounding.check(fixed, facts) + shape.problems(fixed, kind, lang)
        if fixed and {i["type"] for i in fixed_issues if i["span"] is None} <= form_before:
            return fixed, fixed_issues
        return text, issues

    # -- the loop --------------------------------------------------------------------------------
    def generate(
        self,
        facts: Any,
        kind: str,
        audience: str | None = None,
        tone: str | None = None,
        lang: str = "zh",
        *,
        exclude: str | None = None,
    ) -> CopyResult:
        """One piece of copy. Raises InvalidInput for bad facts, kind or lang; BackendError from the model."""
        return self._run(facts, kind, audience, tone, lang, exclude, first_text=None)

    def stream(
        self,
        facts: Any,
        kind: str,
        audience: str | None = None,
        tone: str | None = None,
        lang: str = "zh",
        *,
        exclude: str | None = None,
    ) -> Iterator[str | CopyResult]:
        """Yield the first draft's tokens (``str``), then one final :class:`CopyResult`.

        The final text may differ from the streamed one (shaped, rewritten, repaired or regenerated):
        a client shows the tokens while they come, then replaces them with ``result.text``.
        Arguments are checked on the first ``next()``, before any token, so bad input raises before
        anything is sent.
        """
        facts = check_facts(facts)
        check_kind(kind)
        check_lang(lang)
        start = time.perf_counter()
        pieces: list[str] = []
        for token in self.llm.stream(
            self.messages(facts, kind, audience, tone, lang, exclude=exclude), **self.decoding(kind)
        ):
            pieces.append(token)
            yield token
        result = self._run(facts, kind, audience, tone, lang, exclude, first_text="".join(pieces))
        result.seconds = time.perf_counter() - start
        yield result

    def _run(self, facts, kind, audience, tone, lang, exclude, first_text: str | None) -> CopyResult:
        facts = check_facts(facts)
        check_kind(kind)
        check_lang(lang)
        start = time.perf_counter()
        feedback, flags = None, []
        text, issues, attempts = "", [], 0
        use_exemplars = True
        for attempts in range(1, self.max_attempts + 1):
            if attempts == 1 and first_text is not None:
                raw = first_text
            else:
                msgs = self.messages(
                    facts, kind, audience, tone, lang, feedback, exclude=exclude, use_exemplars=use_exemplars
                )
                raw = self.llm.chat(msgs, **self.decoding(kind)).text
            text, issues, flags = self.check(raw, facts, kind, lang)
            retry = [i for i in issues if i["type"] in ("contradicted", "length", "structure")]
            unsupported = [i for i in issues if i["type"] == "unsupported"]
            if len(unsupported) >= BORROWED:
                # a draft full of facts the product does not have has usually copied an exemplar's:
                # write again without exemplars
                retry, use_exemplars = retry + unsupported, False
            if not retry or attempts == self.max_attempts:
                break
            feedback = _feedback(retry, lang)
        text, issues = self.repair(text, issues, facts, kind, lang)
        return CopyResult(
            text, kind, issues, flags, attempts, getattr(self.llm, "model", ""), time.perf_counter() - start
        )


BORROWED = 3  # unsupported statements in one draft that make it write again (without exemplars)


def _feedback(issues: list[dict], lang: str) -> str:
    """The problems of a rejected draft, in the prompt's language."""
    if lang == "en":
        return "; ".join(f"{i['claim']} ({i['detail']})" for i in issues)
    zh = {
        "contradicted": "“{claim}”与商品信息不符",
        "unsupported": "“{claim}”商品信息里没有",
        "length": "长度不合适（现在{claim}，{detail}）",
        "structure": "格式不对（{detail}）",
    }
    return "；".join(zh[i["type"]].format(**i) for i in issues)
