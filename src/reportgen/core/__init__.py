"""The small core every stage uses: periods, authorities, params, formatting, errors, paths."""
