package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The logback.xml shipped in the jar parses and is quiet: a broken one prints a stack trace at every start. */
class DefaultLoggingTest {

    @Test
    void theShippedLogbackConfigurationLoadsWithoutErrorsAtLevelWarn() throws Exception {
        URL shipped = getClass().getClassLoader().getResource("logback.xml");
        assertThat(shipped).isNotNull();
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(shipped);
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        assertThat(context.getLogger("ROOT").getLevel()).hasToString("WARN");
    }
}
