"""The edge tier's own pieces that are not an engine: finding servers on localhost and on the
hosts the user names, and asking one whether it is up (:mod:`.discovery`)."""
