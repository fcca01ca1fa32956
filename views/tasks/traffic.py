"""Train and compare traffic forecasters live: baselines, DNN, CNN, LSTM, GCN and GCN+GRU."""

from ui.i18n import text
from ui.task_page import task_page
from ui.traffic_views import traffic_notes, traffic_views

task_page("traffic", "views/tasks/traffic.py", views=traffic_views, notes=traffic_notes,
          always_include=("persistence", "historical_average"), intro=text("tasks")("traffic-intro"))
