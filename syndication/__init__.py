"""Cross-posting engine (issue 4). For now: the platform names and the links file reader.

One name per platform everywhere: front matter `syndicate:`, people `accounts:`, the ledger
and the templates all use these keys.
"""

PLATFORMS = ("linkedin", "facebook", "x", "mastodon", "bluesky", "threads", "internal")
