"""One partitioning for every asset: a day of news, in Europe/Paris."""

import dagster as dg

daily_partitions = dg.DailyPartitionsDefinition(start_date="2025-01-01", timezone="Europe/Paris")
