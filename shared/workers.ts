// How many pipeline workers an engine may run: one bound for config.json, GEX_DESK_WORKERS
// and `--workers`, so that each says so where it is given. Dependency-free: the command
// line's argument parsing imports it.
export const MAX_WORKERS = 64;
