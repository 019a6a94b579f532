/** Optimizer-loop, batch and model-build benchmarks behind {@code bench} and {@code model-bench}; the product never imports them. */
package dev.vqclip.bench.engine;
