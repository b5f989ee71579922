package io.mailwatchdog.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough of a Dockerfile reader for the tests: stages, their instructions, ENV values. */
final class Dockerfile {
    record Instruction(String keyword, String arguments) {
    }

    record Stage(List<Instruction> instructions) {
        String from() {
            return instructions.get(0).arguments();
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        String last(String keyword) {
            List<String> found = all(keyword);
            if (found.isEmpty()) {
                throw new AssertionError("no " + keyword + " in the stage " + from());
            }
            return found.get(found.size() - 1);
        }

        /** The value of an ENV key=value (quotes removed), or null. */
        String env(String key) {
            Pattern pattern = Pattern.compile("^" + Pattern.quote(key) + "=(\"([^\"]*)\"|(\\S*))$");
            String value = null;
            for (String env : all("ENV")) {
                Matcher m = pattern.matcher(env);
                if (m.matches()) {
                    value = m.group(2) != null ? m.group(2) : m.group(3);
                }
            }
            return value;
        }
    }

    private Dockerfile() {
    }

    static List<Stage> parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder logical = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && logical.length() == 0)) {
                continue; // comments (and parser directives) also inside continued instructions
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            String instruction = logical.toString().strip().replaceAll("\\s+", " ");
            logical.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            String keyword = instruction.substring(0, space).toUpperCase(Locale.ROOT);
            String arguments = instruction.substring(space + 1);
            if (keyword.equals("FROM")) {
                current = new ArrayList<>();
                stages.add(new Stage(current));
            }
            if (current == null) {
                throw new AssertionError("instruction before FROM: " + instruction);
            }
            current.add(new Instruction(keyword, arguments));
        }
        return stages;
    }
}
