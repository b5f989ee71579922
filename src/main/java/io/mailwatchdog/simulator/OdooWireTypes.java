package io.mailwatchdog.simulator;

import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.XmlRpcConfig;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.common.XmlRpcWorkerFactory;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.TypeSerializer;
import org.apache.xmlrpc.serializer.TypeSerializerImpl;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * The Apache XML-RPC types, written the way Python's marshaller in Odoo writes them: {@code <int>}
 * instead of {@code <i4>}, {@code <string>} instead of a bare value, control characters stripped
 * (rpc.py), and no {@code None} (Odoo marshals with allow_none=False). Types in a namespace
 * (the vendor extensions) are refused when parsing, as the watchdog's client refuses them.
 */
final class OdooWireTypes extends TypeFactoryImpl {

    private static final TypeSerializer INT = new Tagged("int");
    private static final TypeSerializer STRING = new Tagged("string");

    OdooWireTypes() {
        super(new PlainController());
    }

    @Override
    public TypeSerializer getSerializer(XmlRpcStreamConfig config, Object object) throws SAXException {
        if (object == null) {
            throw new SAXException("None cannot be marshalled"); // callers turn None into the marshal-None fault first
        }
        if (object instanceof Integer || object instanceof Short || object instanceof Byte) {
            return INT;
        }
        if (object instanceof Long l) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new SAXException("int exceeds XML-RPC limits");
            }
            return INT;
        }
        if (object instanceof String) {
            return STRING;
        }
        return super.getSerializer(config, object);
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri, String localName) {
        if (uri != null && !uri.isEmpty()) {
            return null; // "Unknown type": no ex:nil, ex:serializable, DOM nodes
        }
        return super.getParser(config, context, uri, localName);
    }

    /** {@code <value><tag>text</tag></value>} with Odoo's stripping of control characters 0-31 but TAB, LF, CR. */
    private static final class Tagged extends TypeSerializerImpl {
        private final String tag;

        Tagged(String tag) {
            this.tag = tag;
        }

        @Override
        public void write(ContentHandler handler, Object object) throws SAXException {
            write(handler, tag, stripControl(object.toString()));
        }

        private static String stripControl(String s) {
            StringBuilder out = null;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean drop = c < 32 && c != '\t' && c != '\n' && c != '\r';
                if (drop && out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                } else if (!drop && out != null) {
                    out.append(c);
                }
            }
            return out == null ? s : out.toString();
        }
    }

    /** The library wants a controller to own the factory; a server needs nothing else from it. */
    private static final class PlainController extends XmlRpcController {
        private final XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();

        @Override
        protected XmlRpcWorkerFactory getDefaultXmlRpcWorkerFactory() {
            return null;
        }

        @Override
        public XmlRpcConfig getConfig() {
            return config;
        }
    }
}
