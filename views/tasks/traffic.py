"""Train and compare traffic forecasters live: baselines, DNN, CNN, LSTM, GCN and GCN+GRU."""

from ui.task_page import task_page
from ui.traffic_views import traffic_notes, traffic_views

task_page("traffic", "views/tasks/traffic.py", views=traffic_views, notes=traffic_notes,
          always_include=("persistence", "historical_average"), intro=(
              "Forecast the speed at every sensor 5 to 60 minutes ahead from the last hour. The two "
              "baselines are always included: they cost nothing and tell you whether a model learned "
              "anything. Errors are in mph on the last 20 % of the week."))
