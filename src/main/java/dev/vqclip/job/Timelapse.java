package dev.vqclip.job;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Collects a running job's previews as small frames and writes them as an animated GIF with the JDK's own encoder
 * (or as MP4 through {@link FfmpegEncoder}). At most {@code maxFrames} frames are kept:
 * when full, every other frame is dropped and only every other later preview is taken, so the frames stay evenly
 * spread over the whole run whatever its length. Not thread-safe: one render thread feeds it.
 */
public final class Timelapse {
    /** Frame delay, and the longer hold on the final image so the loop's end is visible. */
    static final int FRAME_CENTISECONDS = 12;
    static final int LAST_FRAME_CENTISECONDS = 150;

    private final int maxFrames;
    private final int maxSide;
    private final List<BufferedImage> frames = new ArrayList<>();
    private int stride = 1;
    private int offered;

    public Timelapse(int maxFrames, int maxSide) {
        if (maxFrames < 2 || maxFrames > 500) {
            throw new IllegalArgumentException("a timelapse keeps 2..500 frames, got " + maxFrames);
        }
        if (maxSide < 16 || maxSide > 1024) {
            throw new IllegalArgumentException("timelapse frames are 16..1024 pixels on their longer side, got " + maxSide);
        }
        this.maxFrames = maxFrames;
        this.maxSide = maxSide;
    }

    /** Takes a preview (scaled down at once, so memory stays at maxFrames small images). */
    public void add(BufferedImage preview) {
        if (offered++ % stride != 0) {
            return;
        }
        frames.add(small(preview));
        if (frames.size() >= maxFrames) {
            for (int i = frames.size() - 1; i > 0; i -= 2) {
                frames.remove(i);
            }
            stride *= 2;
            // the dropped last frame was one old stride after the last kept one; the next preview is one new stride after it
            offered = 0;
        }
    }

    public int frames() {
        return frames.size();
    }

    /** The frames so far and {@code last} (the finished image) as a looping GIF; empty when there are no previews. */
    public java.util.Optional<TimelapseVideo> finish(BufferedImage last) {
        return finish(last, TimelapseEncoder.GIF);
    }

    /** The frames so far and {@code last} encoded by {@code encoder}; empty when there are no previews. */
    public java.util.Optional<TimelapseVideo> finish(BufferedImage last, TimelapseEncoder encoder) {
        if (frames.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<BufferedImage> all = new ArrayList<>(frames);
        all.add(small(last));
        return java.util.Optional.of(new TimelapseVideo(encoder.contentType(), all.size(), encoder.encode(all)));
    }

    private BufferedImage small(BufferedImage image) {
        double scale = Math.min(1.0, maxSide / (double) Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    static byte[] gif(List<BufferedImage> frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage frame = frames.get(i);
                int delay = i == frames.size() - 1 ? LAST_FRAME_CENTISECONDS : FRAME_CENTISECONDS;
                writer.writeToSequence(new IIOImage(frame, null, frameMetadata(writer, frame, delay, i == 0)), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException("the timelapse GIF could not be written", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static IIOMetadata frameMetadata(ImageWriter writer, BufferedImage frame, int delayCs, boolean first)
            throws IOException {
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            // NETSCAPE2.0 application extension: loop forever
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});
            child(root, "ApplicationExtensions").appendChild(app);
        }
        meta.setFromTree(format, root);
        return meta;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
