"""`datis-docs migrate`: pages written for sphinx-panels rewritten in sphinx-design's own markup.

markup.py reads directive blocks from reST lines, rewrite.py turns each sphinx-panels
construct into its sphinx-design equivalent (and lists what has none), cli.py is the
command (dry run with a unified diff by default, `--write` to apply atomically).
"""
