"""Articles: from a fetched page to a clean article (text, title, date, author), and
which articles repeat another. Reads pages, never the network or the warehouse.
"""
