package dev.vqclip.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a user-named input file whole, safely: only a regular file (a symlink is followed; a device such as
 * {@code /dev/zero}, a FIFO or a folder is refused before it is opened), and never more than a byte limit (the
 * size is checked first and the read stops one byte past the limit, so a file that grows or a size the kernel
 * reports wrongly cannot make it read more).
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * @param what what the file is for, e.g. "init image" (starts the error message)
     * @throws BadImageException naming the file, the limit and the value
     */
    public static byte[] read(Path file, long maxBytes, String what) throws BadImageException {
        if (!Files.exists(file)) {
            throw new BadImageException(what + " " + file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadImageException(what + " " + file + " is not a regular file (a device, pipe or folder); "
                    + "only regular files are read");
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new BadImageException(what + " " + file + " is " + size + " bytes; the limit is " + maxBytes);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw new BadImageException(what + " " + file + " has more than " + maxBytes + " bytes (the limit)");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new BadImageException(what + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new BadImageException(what + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
