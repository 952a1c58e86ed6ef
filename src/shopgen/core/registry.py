"""A registry from backend name to factory, one per kind of backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from shopgen.core.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps names to factories; an unknown name raises an error listing the valid ones.

    >>> r: Registry[int] = Registry("number")
    >>> r.register("one")(lambda settings: 1)  # doctest: +ELLIPSIS
    <function ...>
    >>> r.create("one", None)
    1
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        def deco(factory: Callable[..., T]) -> Callable[..., T]:
            self._factories[name] = factory
            return factory

        return deco

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str, *args, **kwargs) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} backend '{name}'; valid: {', '.join(self.names())}",
                {"name": name, "valid": self.names()},
            ) from None
        return factory(*args, **kwargs)
