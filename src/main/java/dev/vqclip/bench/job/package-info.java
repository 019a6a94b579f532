/** The fairness bench behind {@code fairness-bench}: burst traces replayed through the product's queue in simulated time; not product code. */
package dev.vqclip.bench.job;
