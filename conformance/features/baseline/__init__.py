"""--baseline REPORT.json: this run against an earlier report of the same image, check by
check (checks/baseline): for CI on every commit."""
from ...registry import FeatureSpec, feature
from . import options

feature(FeatureSpec("baseline", "regressions against an earlier report", options.build, options.OPTIONS, order=40))
