"""The jobs: the whole daily chain, and the offline rebuild of articles and mentions."""

import dagster as dg

daily_job = dg.define_asset_job(
    name="daily_job",
    selection=dg.AssetSelection.groups("daily"),
    description="Collect, extract and load one day of regional news, then publish the snapshot.",
)

reextract_job = dg.define_asset_job(
    name="reextract_job",
    selection=dg.AssetSelection.assets("articles", "mentions", "warehouse"),
    description="Rebuild a day's articles and mentions from the raw archive, without the network.",
)
