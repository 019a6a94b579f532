package dev.vqclip.provenance;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A minimal XMP packet (Adobe XMP specification part 1) with Dublin Core {@code dc:title} (language alternative),
 * {@code dc:creator} (ordered list), {@code dc:description} and {@code xmp:CreatorTool}: what file managers and
 * photo viewers show as title, author and description. The notebooks wrote dc:creator "VQGAN+CLIP" and the
 * prompts as dc:title; we do the same.
 */
public record Xmp(String title, List<String> creators, String description, String creatorTool) {
    private static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static final String XMP = "http://ns.adobe.com/xap/1.0/";

    public Xmp {
        creators = creators == null ? List.of() : List.copyOf(creators);
    }

    public String toPacket() {
        StringBuilder s = new StringBuilder();
        s.append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
        s.append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
        s.append(" <rdf:RDF xmlns:rdf=\"").append(RDF).append("\">\n");
        s.append("  <rdf:Description rdf:about=\"\" xmlns:dc=\"").append(DC).append("\" xmlns:xmp=\"").append(XMP).append("\">\n");
        if (title != null) {
            s.append("   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">").append(escape(title)).append("</rdf:li></rdf:Alt></dc:title>\n");
        }
        if (!creators.isEmpty()) {
            s.append("   <dc:creator><rdf:Seq>");
            for (String c : creators) {
                s.append("<rdf:li>").append(escape(c)).append("</rdf:li>");
            }
            s.append("</rdf:Seq></dc:creator>\n");
        }
        if (description != null) {
            s.append("   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">").append(escape(description))
                    .append("</rdf:li></rdf:Alt></dc:description>\n");
        }
        if (creatorTool != null) {
            s.append("   <xmp:CreatorTool>").append(escape(creatorTool)).append("</xmp:CreatorTool>\n");
        }
        s.append("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
        return s.toString();
    }

    /** Real packets nest about 6 elements deep; the DOM parser and the tree walk recurse per level. */
    public static final int MAX_DEPTH = 64;

    /**
     * Parses a packet with DTDs and external entities off (no XXE); empty when it is not XML or nests deeper than
     * {@link #MAX_DEPTH} elements (checked first by a streaming pass, which does not recurse).
     */
    public static Optional<Xmp> parse(String packet) {
        if (depth(packet) > MAX_DEPTH) {
            return Optional.empty();
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document doc = builder.parse(new ByteArrayInputStream(packet.getBytes(StandardCharsets.UTF_8)));
            List<String> titles = items(doc, "title");
            List<String> creators = items(doc, "creator");
            List<String> descriptions = items(doc, "description");
            NodeList tools = doc.getElementsByTagNameNS(XMP, "CreatorTool");
            String tool = tools.getLength() > 0 ? tools.item(0).getTextContent().trim() : null;
            return Optional.of(new Xmp(titles.isEmpty() ? null : titles.get(0), creators,
                    descriptions.isEmpty() ? null : descriptions.get(0), tool));
        } catch (Exception e) {
            // any parser failure means "no usable XMP"; the packet came from an untrusted file
            return Optional.empty();
        }
    }

    /** The deepest element nesting of the packet (streamed, so any depth is measured safely); MAX+1 when unreadable. */
    private static int depth(String packet) {
        javax.xml.stream.XMLInputFactory f = javax.xml.stream.XMLInputFactory.newFactory();
        f.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            javax.xml.stream.XMLStreamReader r = f.createXMLStreamReader(new java.io.StringReader(packet));
            try {
                int depth = 0;
                int max = 0;
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == javax.xml.stream.XMLStreamConstants.START_ELEMENT) {
                        max = Math.max(max, ++depth);
                        if (max > MAX_DEPTH) {
                            return max;
                        }
                    } else if (event == javax.xml.stream.XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
                return max;
            } finally {
                r.close();
            }
        } catch (javax.xml.stream.XMLStreamException | RuntimeException e) {
            return MAX_DEPTH + 1;
        }
    }

    private static List<String> items(Document doc, String dcName) {
        List<String> out = new ArrayList<>();
        NodeList props = doc.getElementsByTagNameNS(DC, dcName);
        for (int i = 0; i < props.getLength(); i++) {
            Element prop = (Element) props.item(i);
            NodeList lis = prop.getElementsByTagNameNS(RDF, "li");
            if (lis.getLength() == 0) {
                out.add(prop.getTextContent().trim());
            }
            for (int k = 0; k < lis.getLength(); k++) {
                out.add(lis.item(k).getTextContent());
            }
        }
        return out;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
