package io.mailwatchdog.odoo;

import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.TypeParser;

/**
 * Parses only the plain XML-RPC types. Vendor extensions ({@code ex:serializable}, {@code ex:nil},
 * DOM nodes...) live in a namespace; a type in any namespace is refused, so a hostile server can
 * never make us deserialize a Java object, whatever the library's own checks do.
 */
final class RestrictedTypeFactory extends TypeFactoryImpl {

    RestrictedTypeFactory(XmlRpcController controller) {
        super(controller);
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri, String localName) {
        if (uri != null && !uri.isEmpty()) {
            return null; // the parser turns this into "Unknown type"
        }
        return super.getParser(config, context, uri, localName);
    }
}
