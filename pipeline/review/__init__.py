"""The review desk's logic: the queue, users and logins, exports and digests, precision
from decisions. It reads the published snapshot and writes only the review store.
"""
