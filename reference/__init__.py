"""The benchmark results the repo ships and the published numbers, as readers and readable frames:
library code shared by the app's Reference results views, the lessons and `bench.report`."""
