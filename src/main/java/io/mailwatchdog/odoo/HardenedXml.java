package io.mailwatchdog.odoo;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.SAXException;

/** The one way this project parses XML-RPC bodies: no DOCTYPE, no external entity or DTD, secure processing. */
public final class HardenedXml {

    private HardenedXml() {
    }

    public static SAXParserFactory saxFactory() {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return factory;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot configure a safe XML parser", e);
        }
    }

    /**
     * Refuses documents nested deeper than any Odoo reply (a read_group domain is about 17 levels):
     * the library's value parsers recurse once per level.
     */
    public static final class DepthLimit extends org.xml.sax.helpers.XMLFilterImpl {
        public static final int MAX_DEPTH = 64;
        private int depth;

        public DepthLimit(org.xml.sax.XMLReader parent) {
            super(parent);
        }

        @Override
        public void startElement(String uri, String localName, String qName, org.xml.sax.Attributes atts)
                throws SAXException {
            if (++depth > MAX_DEPTH) {
                throw new SAXException("nested deeper than " + MAX_DEPTH + " elements");
            }
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            depth--;
            super.endElement(uri, localName, qName);
        }
    }
}
