/**
 * Verification of the Java models and the optimizer step against golden outputs of the upstream PyTorch code
 * (src/test/resources/fixtures, or any folder laid out the same way), behind {@code verify-fixtures}; the product
 * never imports it. {@link dev.vqclip.bench.parity.FixtureVerifier} runs a list of
 * {@link dev.vqclip.bench.parity.FixtureCheckGroup}s; each yields named {@link dev.vqclip.bench.parity.FixtureCheck}s.
 */
package dev.vqclip.bench.parity;
