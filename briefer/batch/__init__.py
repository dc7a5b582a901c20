"""Batches: many articles, concurrently, within limits, resumable (see ``runner``)."""

from briefer.batch.report import BatchOptions, BatchReport, Counts
from briefer.batch.runner import BatchRunner, plan, run_batch

__all__ = ["BatchOptions", "BatchReport", "BatchRunner", "Counts", "plan", "run_batch"]
