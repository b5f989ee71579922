package io.mailwatchdog.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python method's parameters, so that positional and keyword arguments bind as in Odoo's
 * {@code call_kw}, and a wrong call fails with Python's own TypeError text, e.g.
 * {@code MailMail.process_email_queue() got an unexpected keyword argument 'batch_size'}
 * (fixture process_email_queue_batch_size_kwarg). {@code context} is popped before binding, as
 * {@code odoo.api.call_kw} does.
 */
final class PySignature {

    private final String qualname;
    private final List<String> params;
    private final int required;

    /** @param required how many of the first params have no default */
    PySignature(String qualname, int required, String... params) {
        this.qualname = qualname;
        this.params = List.of(params);
        this.required = required;
    }

    static PySignature of(String qualname, String... optionalParams) {
        return new PySignature(qualname, 0, optionalParams);
    }

    /** The bound arguments by parameter name; a parameter left to its default is absent. */
    Map<String, Object> bind(VersionProfile version, List<Object> args, Map<String, Object> kwargs) {
        if (args.size() > params.size()) {
            String takes = required == params.size() ? String.valueOf(params.size() + 1)
                    : "from " + (required + 1) + " to " + (params.size() + 1);
            throw RpcFault.typeError(version, qualname + "() takes " + takes + " positional argument"
                    + (params.size() == 0 ? "" : "s") + " but " + (args.size() + 1) + " were given");
        }
        Map<String, Object> bound = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            bound.put(params.get(i), args.get(i));
        }
        for (Map.Entry<String, Object> kw : kwargs.entrySet()) {
            String name = kw.getKey();
            if ("context".equals(name)) {
                continue;
            }
            if (!params.contains(name)) {
                throw RpcFault.typeError(version, qualname + "() got an unexpected keyword argument '" + name + "'");
            }
            if (bound.containsKey(name)) {
                throw RpcFault.typeError(version, qualname + "() got multiple values for argument '" + name + "'");
            }
            bound.put(name, kw.getValue());
        }
        for (int i = 0; i < required; i++) {
            if (!bound.containsKey(params.get(i))) {
                throw RpcFault.typeError(version, qualname + "() missing 1 required positional argument: '"
                        + params.get(i) + "'");
            }
        }
        return bound;
    }
}
