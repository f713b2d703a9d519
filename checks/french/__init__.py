"""French as a reader expects it, by Babel's rules rather than by hand: plurals, decimals,
dates in Paris time (`numbers`, `dates`), and the non-breaking spaces of French typography
(`typography`), applied where each writer hands its text over."""
