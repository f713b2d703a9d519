"""Files the tools read and write: atomic writes, TOML with French, line-numbered errors."""
