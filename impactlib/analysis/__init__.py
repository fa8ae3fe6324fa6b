"""The pure analysis: inputs in, new values out, no files, printing, clock or plotting. ``assess(client, scenario)`` returns the Analysis."""
