"""core/collector.py: full collections are paused for a build and come back after it,
however it ends (a failed build in the live-reload process must not leave them off)."""

import gc

import pytest

from core.collector import (
    NEVER,
    no_full_collections,
    pause_full_collections,
    resume_full_collections,
)


@pytest.fixture(autouse=True)
def _thresholds():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_pause_keeps_young_collections_and_resume_restores():
    gc.set_threshold(700, 10, 10)
    pause_full_collections()
    assert gc.get_threshold() == (700, 10, NEVER)
    resume_full_collections()
    assert gc.get_threshold() == (700, 10, 10)


def test_resume_without_pause_changes_nothing():
    gc.set_threshold(500, 5, 5)
    resume_full_collections()
    assert gc.get_threshold() == (500, 5, 5)


def test_block_restores_after_an_error_and_unmatched_inner_pauses():
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), no_full_collections():
        pause_full_collections(object())  # as Pelican's `initialized` signal sends it
        raise RuntimeError("a plugin failed before `finalized`")
    assert gc.get_threshold() == (700, 10, 10)


def test_signal_receivers_take_sender_and_keywords():
    gc.set_threshold(700, 10, 10)
    pause_full_collections(object(), extra=1)
    resume_full_collections(object(), extra=1)
    assert gc.get_threshold() == (700, 10, 10)
