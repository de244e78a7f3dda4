/**
 * glibc malloc settings for the processes started here (the worker renders proofs with sharp,
 * the API reads uploads with it). glibc raises its mmap threshold each time a large block is
 * freed, so libvips' page-sized buffers are then carved from its arenas instead of mapped, and
 * their freed memory stays in the process: a 20-page proof grew the worker by about 150 MB
 * that it never gave back. A fixed threshold (glibc's default starting value, 128 KiB) keeps
 * every large buffer mapped and returns it when freed (README, "Proof rendering"). glibc reads
 * it once, at the start: it must be in a process's environment before it starts.
 */
export const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) } as const;
