/** The watermark's robustness benchmark and its synthetic test images, behind {@code provenance-bench}; not product code. */
package dev.vqclip.bench.provenance;
