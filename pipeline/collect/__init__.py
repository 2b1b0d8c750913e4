"""Collecting: the outlets' feeds and sitemaps read, pages fetched politely and archived.
Nothing here knows what an article is; it hands fetched bodies to `pipeline.article`.
"""
