"""A scripted generator that records what the model was asked (chat and stream alike)."""

from shopgen.models.llm.fake import FakeGenerator


class CountingFake(FakeGenerator):
    def __init__(self, replies):
        super().__init__(replies)
        self.calls = []

    def chat(self, messages, **kw):
        self.calls.append(messages)
        return super().chat(messages, **kw)

    def stream(self, messages, **kw):
        self.calls.append(messages)
        yield from super().stream(messages, **kw)
