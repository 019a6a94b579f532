/**
 * Verification of the Java models against golden outputs of the upstream PyTorch code (src/test/resources/fixtures,
 * or any folder laid out the same way). {@link dev.vqclip.engine.parity.FixtureVerifier} runs a list of
 * {@link dev.vqclip.engine.parity.FixtureCheckGroup}s; each yields named {@link dev.vqclip.engine.parity.FixtureCheck}s.
 */
package dev.vqclip.engine.parity;
