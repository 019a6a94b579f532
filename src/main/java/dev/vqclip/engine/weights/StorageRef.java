package dev.vqclip.engine.weights;

/**
 * A torch storage named by a pickle's persistent id {@code ('storage', torch.XStorage, key, location, numel)}: its
 * bytes are the archive entry {@code <folder>/data/<key>}, {@code numel} little-endian elements of {@code dtype}.
 * The location ({@code 'cuda:0'}, {@code 'cpu'}) is ignored: everything is read to the host.
 */
record StorageRef(DType dtype, String key, long numel) {
}
