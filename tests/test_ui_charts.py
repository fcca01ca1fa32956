"""The lesson charts (ui/*_charts.py, grouped by kind): every axis is titled."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lessons import gradient_descent, toy_data
from ui.curve_charts import lines
from ui.grid_charts import decision_map, loss_surface


def axis_encodings(spec):
    """Every x/y encoding in a Vega-Lite spec, including inside layers."""
    found = []
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            if isinstance(spec.get("encoding", {}).get(channel), dict):
                found.append(spec["encoding"][channel])
        for layer in spec.get("layer", []):
            found += axis_encodings(layer)
    return found


def test_every_chart_has_titled_axes():
    features, labels = toy_data.two_moons(count=30)
    grid = toy_data.grid_over(features, resolution=5)
    points, values = gradient_descent.loss_grid(gradient_descent.BOWL, resolution=5)
    charts = [decision_map(grid, np.full(25, 0.5), features, labels, "map"),
              loss_surface(points, values, gradient_descent.descend(gradient_descent.BOWL, (1, 1), 0.1, 3),
                           extra_points=pd.DataFrame({"x": [0.0], "y": [0.0], "kind": ["start"]})),
              lines(pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": ["x", "x"]}), "a", "b", "c", "A axis", "B axis")]
    for chart in charts:
        encodings = axis_encodings(chart.to_dict())
        assert encodings and all(encoding.get("title") for encoding in encodings if "field" in encoding)
