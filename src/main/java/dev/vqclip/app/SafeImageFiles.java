package dev.vqclip.app;

import dev.vqclip.engine.ImageFiles;
import dev.vqclip.engine.RenderException;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The engine's init and target images through the bomb-safe {@link ImageLoader} that {@code decode} uses. */
public final class SafeImageFiles implements ImageFiles {
    private final ImageLoader loader;

    public SafeImageFiles(long maxPixels) {
        this.loader = new ImageLoader(maxPixels);
    }

    /** Init and target images are resized to the output anyway: 4096x4096 is plenty. */
    public SafeImageFiles() {
        this(4096L * 4096L);
    }

    @Override
    public BufferedImage read(String path, String what) {
        try {
            return loader.load(Path.of(path), what).image();
        } catch (InvalidPathException e) {
            throw new RenderException(what + " '" + path + "' is not a file name: " + e.getMessage(), e);
        } catch (BadImageException e) {
            throw new RenderException(e.getMessage(), e);
        }
    }
}
