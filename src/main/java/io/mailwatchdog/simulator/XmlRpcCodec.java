package io.mailwatchdog.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.parser.XmlRpcRequestParser;
import org.apache.xmlrpc.serializer.DefaultXMLWriterFactory;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Reads {@code methodCall}s and writes {@code methodResponse}s with the Apache XML-RPC library (the
 * fork the watchdog's client uses), never by hand. Parsing refuses DOCTYPEs and external entities and
 * stops at a nesting depth no Odoo call reaches. Arrays come out as {@link List}, structs as {@link Map}.
 */
final class XmlRpcCodec {

    /** An Odoo domain nests about 6 levels; a read_group reply about 17. */
    private static final SAXParserFactory SAX = io.mailwatchdog.odoo.HardenedXml.saxFactory();

    private final XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();
    private final OdooWireTypes types = new OdooWireTypes();

    XmlRpcCodec() {
        config.setEncoding(StandardCharsets.UTF_8.name());
        config.setEnabledForExtensions(false);
        config.setEnabledForExceptions(false); // a fault never carries a serialized Java exception
    }

    record Call(String method, List<Object> params) {
    }

    /** @throws IllegalArgumentException when the body is not a well-formed, plain XML-RPC call */
    Call parse(byte[] body) {
        XmlRpcRequestParser parser = new XmlRpcRequestParser(config, types);
        try {
            XMLReader reader = new io.mailwatchdog.odoo.HardenedXml.DepthLimit(reusableParser().getXMLReader());
            reader.setContentHandler(parser);
            reader.parse(new InputSource(new ByteArrayInputStream(body)));
        } catch (SAXException | IOException | ParserConfigurationException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("nested too deeply");
        }
        if (parser.getMethodName() == null) {
            throw new IllegalArgumentException("no methodName");
        }
        List<Object> params = new ArrayList<>();
        if (parser.getParams() != null) {
            for (Object p : parser.getParams()) {
                params.add(plain(p));
            }
        }
        return new Call(parser.getMethodName(), params);
    }

    /** A parser per thread, reset between requests: making one costs more than parsing a call. */
    private static final ThreadLocal<SAXParser> PARSERS = new ThreadLocal<>();

    private static SAXParser reusableParser() throws ParserConfigurationException, SAXException {
        SAXParser parser = PARSERS.get();
        if (parser == null) {
            parser = SAX.newSAXParser();
            PARSERS.set(parser);
        } else {
            parser.reset();
        }
        return parser;
    }

    byte[] result(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            new XmlRpcWriter(config, new DefaultXMLWriterFactory().getXmlWriter(config, out), types).write(config, value);
        } catch (SAXException | XmlRpcException e) {
            throw new IllegalStateException("cannot marshal the reply: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    byte[] fault(RpcFault fault) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            new XmlRpcWriter(config, new DefaultXMLWriterFactory().getXmlWriter(config, out), types)
                    .write(config, fault.code, fault.faultString);
        } catch (SAXException | XmlRpcException e) {
            throw new IllegalStateException("cannot marshal the fault: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Object[] → List, Map → insertion-ordered Map, recursively: what the models work with. */
    static Object plain(Object value) {
        if (value instanceof Object[] array) {
            List<Object> list = new ArrayList<>(array.length);
            for (Object o : array) {
                list.add(plain(o));
            }
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        return value;
    }


}
