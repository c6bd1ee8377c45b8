"""`recursor batch`: many RLM questions at once, with one budget and one rate limit for all.

Locally the jobs share this process's event loop (`local`); with Ray each job is a task and the
budget and limiter are actors (`ray_runner`). See docs/scaling.md.
"""

from recursor.batch.jobs import Job, OutFile, parse_jobs
from recursor.batch.runner import BatchConfig, BatchSummary, run_batch
from recursor.batch.shared import BatchBudget, BatchLM, RateLimiter

__all__ = ["BatchBudget", "BatchConfig", "BatchLM", "BatchSummary", "Job", "OutFile", "RateLimiter",
           "parse_jobs", "run_batch"]
