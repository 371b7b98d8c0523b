"""The translators' workflow over articles and interface catalogs: provenance, status, diffs,
checks. Importing the package imports nothing, so :mod:`kb.content` can use its provenance
reader without a cycle."""
