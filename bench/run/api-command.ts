/**
 * V8's old space for the API. Under load its live heap stays near 70 MB, but on a machine with memory to spare V8 lets
 * the heap reach 300 MB and more before collecting: a bound keeps the resident size near 200 MB, at no measurable cost
 * in CPU.
 */
export const API_NODE_FLAGS = ['--max-old-space-size=256'] as const;

/** The image's command (the Dockerfile's CMD), which the benchmark runs too; a deployment test holds the two equal. */
export const API_COMMAND = ['node', ...API_NODE_FLAGS, 'dist/apps/api/src/main.js', '--no-worker'] as const;
