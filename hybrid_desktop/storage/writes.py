"""How a store hands its writes to the one writer (see ``storage.db``): the :class:`Writer`
protocol and the :func:`serialised` mark on write methods. Imports nothing heavy, so the app can
name these types before the database is opened."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Writer(Protocol):
    """Runs ``job(store)`` on the one thread that owns the write connection; returns its result
    (or raises its exception) in the caller's thread."""

    def call(self, job: Callable[[Any], T]) -> T: ...


def serialised(method: F) -> F:
    """Mark a store method that writes: with a writer, it runs there on the writer's store.

    The store needs ``writer`` (a :class:`Writer` or None) and ``on(history)``, which returns the
    same kind of store bound to the writer's history connection.
    """

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        writer = self.writer
        if writer is None:
            return method(self, *args, **kwargs)
        return writer.call(lambda history: method(self.on(history), *args, **kwargs))

    return run  # type: ignore[return-value]
