package dev.vqclip.engine;

import java.awt.image.BufferedImage;

/**
 * Where the engine gets a recipe's init and target images from: the composition root supplies the bomb-safe
 * loader (regular files only, size and pixel limits checked before decoding), so the engine never decodes an
 * untrusted file itself.
 */
@FunctionalInterface
public interface ImageFiles {
    /**
     * @param path a file named by a recipe
     * @param what "init image" or "target image", to start the error message
     * @throws RenderException with a one-line message naming the file when it is not a usable image
     */
    BufferedImage read(String path, String what);

    /** For renderers built without one: recipes with images are refused. */
    ImageFiles NONE = (path, what) -> {
        throw new RenderException(what + " " + path + " cannot be used: this renderer has no image reader");
    };
}
