"""The command line: `datis-audit` and its subcommands, one module each."""
