"""Shared helpers of the e-signature tests (R-X-2)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from qamqor.accounts.esign import SignatureError


@pytest.fixture
def refused(db: None, django_assert_num_queries: Callable[..., object]) -> Callable[[str], object]:
    """``with refused("esign.revoked"):`` — the block raises exactly this code and touches no
    table (a refusal writes nothing)."""

    @contextmanager
    def check(code: str) -> Iterator[None]:
        with django_assert_num_queries(0), pytest.raises(SignatureError) as info:  # type: ignore[attr-defined]
            yield
        assert info.value.code == code, info.value.detail

    return check
