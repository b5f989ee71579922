package io.mailwatchdog.simulator;

import java.util.Base64;

/**
 * Python's {@code base64.b64decode(text)} as Odoo decodes a binary field's value: not strict, so
 * characters outside the alphabet are dropped, but the data must come in whole quantums, padded with
 * {@code =}. Java's decoders either refuse the stray characters or accept missing padding, hence the
 * checks here before Java decodes.
 */
final class PyBase64 {

    private PyBase64() {
    }

    static byte[] decode(VersionProfile version, String text) {
        StringBuilder data = new StringBuilder(text.length());
        int paddingAfterData = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
                data.append(c);
                paddingAfterData = 0;
            } else if (c == '=') {
                paddingAfterData++;
            }
        }
        int rest = data.length() % 4;
        if (rest == 1) {
            throw RpcFault.python(version, "binascii.Error", "Invalid base64-encoded string: number of data characters ("
                    + data.length() + ") cannot be 1 more than a multiple of 4");
        }
        if (rest != 0 && paddingAfterData < 4 - rest) {
            throw RpcFault.python(version, "binascii.Error", "Incorrect padding");
        }
        if (rest != 0) {
            data.append("=".repeat(4 - rest));
        }
        return Base64.getDecoder().decode(data.toString());
    }
}
