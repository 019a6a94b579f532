package dev.vqclip.engine.weights.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private static final String VOCAB_SHA = "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a";
    private static final String SHA_A = "a".repeat(64);

    private static final String SAMPLE = """
            models:
              - name: ViT-B/32
                kind: clip
                aliases: [ViT-B-32]
                requires: [vocab]
                files:
                  - role: weights
                    file: ViT-B-32.pt
                    sha256: %s
                    size: 354000000
                    size_approx: true
                    urls: [https://example.org/ViT-B-32.pt]
              - name: vocab
                kind: vocab
                files:
                  - role: vocabulary
                    file: bpe.txt.gz
                    sha256: %s
                    size: 1356917
                    urls: [https://example.org/bpe.txt.gz]
              - name: vqgan_imagenet_f16_1024
                kind: vqgan
                aliases: [imagenet_f16_1024]
                files:
                  - role: config
                    file: vqgan.yaml
                    sha256: null
                    size: null
                    urls: [https://example.org/model.yaml, http://mirror.example.org/vqgan.yaml]
                  - role: checkpoint
                    file: vqgan.ckpt
                    sha256: null
                    size: 958000000
                    size_approx: true
                    urls: [https://example.org/last.ckpt]
            """.formatted(SHA_A, VOCAB_SHA);

    private static ModelCatalog parse(String yaml) {
        return ModelCatalog.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void parsesEntriesFilesAndRequirements() {
        ModelCatalog catalog = parse(SAMPLE);

        assertEquals(List.of("ViT-B/32", "vocab", "vqgan_imagenet_f16_1024"), catalog.names());
        ModelEntry vqgan = catalog.find("vqgan_imagenet_f16_1024");
        assertEquals(ModelKind.VQGAN, vqgan.kind());
        ModelFile config = vqgan.file(FileRole.CONFIG).orElseThrow();
        assertTrue(config.pinnedSha256().isEmpty());
        assertEquals(2, config.urls().size());
        assertEquals(958_000_000L, vqgan.knownSize());
        assertTrue(!vqgan.sizeExact());
        assertEquals(List.of("vocab", "ViT-B/32"),
                catalog.withRequirements(catalog.find("ViT-B/32")).stream().map(ModelEntry::name).toList());
    }

    @Test
    void findsByNameOrAliasIgnoringCase() {
        ModelCatalog catalog = parse(SAMPLE);
        ModelEntry clip = catalog.find("ViT-B/32");

        assertSame(clip, catalog.find("ViT-B-32"));
        assertSame(clip, catalog.find("vit-b/32"));
        assertSame(catalog.find("vqgan_imagenet_f16_1024"), catalog.find("IMAGENET_F16_1024"));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        CatalogException e = assertThrows(CatalogException.class, () -> parse(SAMPLE).find("ViT-H/14"));

        assertTrue(e.getMessage().contains("unknown model 'ViT-H/14'"), e.getMessage());
        assertTrue(e.getMessage().contains("ViT-B/32, vocab, vqgan_imagenet_f16_1024"), e.getMessage());
    }

    @Test
    void rejectsAMalformedHash() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace(SHA_A, "abc123")));

        assertTrue(e.getMessage().contains("64 hex digits or null, got 'abc123'"), e.getMessage());
    }

    @Test
    void rejectsANameUsedTwice() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace("aliases: [imagenet_f16_1024]", "aliases: [vit-b-32]")));

        assertTrue(e.getMessage().contains("'vit-b-32' is used by both ViT-B/32 and vqgan_imagenet_f16_1024"),
                e.getMessage());
    }

    @Test
    void rejectsAnUnknownRequirement() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace("requires: [vocab]", "requires: [tokenizer]")));

        assertTrue(e.getMessage().contains("ViT-B/32 requires 'tokenizer', which is not in the catalog"),
                e.getMessage());
    }

    @Test
    void rejectsAClipModelWithoutItsVocabulary() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace("    requires: [vocab]\n", "")));

        assertTrue(e.getMessage().contains("must require its tokenizer vocabulary"), e.getMessage());
    }

    @Test
    void rejectsAFileNameWithDirectories() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace("file: vqgan.ckpt", "file: ../vqgan.ckpt")));

        assertTrue(e.getMessage().contains("got '../vqgan.ckpt'"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownKind() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace("kind: vqgan", "kind: diffusion")));

        assertTrue(e.getMessage().contains("got 'diffusion'"), e.getMessage());
    }

    @Test
    void rejectsAMisspelledKey() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> parse(SAMPLE.replace("sha256: " + VOCAB_SHA, "sha265: " + VOCAB_SHA)));

        assertTrue(e.getMessage().contains("sha265"), e.getMessage());
    }

    @Test
    void theProjectCatalogParsesAndPinsEveryClipFile() {
        ModelCatalog catalog = ModelCatalog.load(ModelCatalog.DEFAULT_FILE);

        List<ModelEntry> clips = catalog.entries().stream().filter(e -> e.kind() == ModelKind.CLIP).toList();
        assertEquals(4, clips.size(), "ViT-B/32, ViT-B/16, ViT-L/14, ViT-L/14@336px");
        for (ModelEntry clip : clips) {
            for (ModelFile f : clip.files()) {
                assertTrue(Sha256.isHex(f.sha256()), clip.name() + " " + f.file() + " has sha256 " + f.sha256());
                // OpenAI's url carries the file's hash as the path segment before the file name
                assertTrue(f.urls().get(0).getPath().endsWith("/" + f.sha256() + "/" + f.file()), f.urls().toString());
            }
            ModelEntry vocab = catalog.find(clip.requires().get(0));
            assertEquals(VOCAB_SHA, vocab.file(FileRole.VOCABULARY).orElseThrow().sha256());
        }
        assertSame(catalog.find("ViT-B/32"), catalog.find("ViT-B-32"));
        assertSame(catalog.find("ViT-L/14@336px"), catalog.find("ViT-L-14-336px"));
        for (String vqgan : List.of("vqgan_imagenet_f16_1024", "vqgan_imagenet_f16_16384", "vqgan_gumbel_f8_8192",
                "wikiart_1024", "wikiart_16384", "faceshq", "sflckr", "coco")) {
            ModelEntry entry = catalog.find(vqgan);
            assertEquals(ModelKind.VQGAN, entry.kind());
            assertTrue(entry.file(FileRole.CONFIG).isPresent() && entry.file(FileRole.CHECKPOINT).isPresent(), vqgan);
        }
    }

    @Test
    void theJarCarriesTheSameCatalogAsConfig() throws IOException {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(ModelCatalog.CLASSPATH_RESOURCE)) {
            assertNotNull(in, "the build copies config/models.yaml onto the classpath");
            assertArrayEquals(Files.readAllBytes(Path.of("config", "models.yaml")), in.readAllBytes());
        }
    }
}
