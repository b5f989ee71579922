package io.mailwatchdog.recovery;

import java.util.List;

/**
 * What to write on one target now, in order, and what was left alone and why. {@code act} is false
 * when nothing may be written at all (observe mode, a neutralized database, ...): the actions are
 * then what the daemon would do, shown but not done.
 */
public record Plan(String target, boolean act, List<PlannedAction> actions, List<String> leftAlone) {

    public Plan {
        actions = List.copyOf(actions);
        leftAlone = List.copyOf(leftAlone);
    }

    public boolean writes() {
        return act && !actions.isEmpty();
    }
}
