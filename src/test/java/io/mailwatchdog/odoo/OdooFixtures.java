package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Failure strings and fault texts picked out of the real Odoo exchanges in {@code ../shared/odoo-fixtures}
 * (found by {@link io.mailwatchdog.testing.Fixtures#root()}).
 */
final class OdooFixtures {

    private OdooFixtures() {
    }

    /** One mail.mail row with a failure_reason: failureType null when Odoo sent False. */
    record MailFailure(String fixture, String failureType, String failureReason) {
    }

    static Path root() {
        return io.mailwatchdog.testing.Fixtures.root();
    }

    /** Every struct of the response that has a string failure_reason. */
    static List<MailFailure> mailFailures(String fixture) {
        Document doc = parse(fixture);
        XPath xp = XPathFactory.newInstance().newXPath();
        try {
            NodeList structs = (NodeList) xp.evaluate(
                    "//struct[member[name='failure_reason']/value/string]", doc, XPathConstants.NODESET);
            List<MailFailure> out = new ArrayList<>();
            for (int i = 0; i < structs.getLength(); i++) {
                Node s = structs.item(i);
                Node type = (Node) xp.evaluate("member[name='failure_type']/value/string", s, XPathConstants.NODE);
                String reason = xp.evaluate("member[name='failure_reason']/value/string", s);
                out.add(new MailFailure(fixture, type == null ? null : type.getTextContent(), reason));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(fixture, e);
        }
    }

    /** faultString of an XML-RPC fault response. */
    static String faultString(String fixture) {
        Document doc = parse(fixture);
        try {
            Node n = (Node) XPathFactory.newInstance().newXPath().evaluate(
                    "/methodResponse/fault//member[name='faultString']/value/string", doc, XPathConstants.NODE);
            assertThat(n).as("faultString in %s", fixture).isNotNull();
            return n.getTextContent();
        } catch (Exception e) {
            throw new IllegalStateException(fixture, e);
        }
    }

    /** "message" of a JSON-2 error response (19.0). */
    static String json2Message(String fixture) {
        try (InputStream in = Files.newInputStream(root().resolve(fixture))) {
            return new ObjectMapper().readTree(in).get("message").asText();
        } catch (IOException e) {
            throw new IllegalStateException(fixture, e);
        }
    }

    private static Document parse(String fixture) {
        try (InputStream in = Files.newInputStream(root().resolve(fixture))) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new IllegalStateException(fixture, e);
        }
    }
}
