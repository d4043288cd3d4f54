/**
 * How many checks run at once, sized for I/O-bound checks: a check mostly waits on the network,
 * so a fleet of endpoints fits one wave; the per-target cap (lib/core/check-target.ts) keeps
 * that from hammering one shared gateway or database. The config defaults and the engine's.
 */
export const defaultConcurrency = 128;
export const defaultConcurrencyPerTarget = 8;
