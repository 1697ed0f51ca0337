"""Batch transform (--mode batch): records split and packed as the platform does
(split.py), the job run against the container (job.py)."""
