package io.mailwatchdog.testing;

import io.mailwatchdog.simulator.ScriptedSmtpServer;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A simulated Odoo with one database "shop" and a scripted SMTP server, and the config of one target "shop" on it:
 * what the retry tests against the simulator start from.
 */
public final class SimulatedShop implements AutoCloseable {
    public final SimulatedClock clock = new SimulatedClock(Instant.now());
    public final ScriptedSmtpServer smtp;
    public final SimulatedOdoo odoo;
    public final SimulatedDatabase shop;

    public SimulatedShop(String version) throws Exception {
        smtp = new ScriptedSmtpServer();
        odoo = new SimulatedOdoo(clock);
        shop = odoo.addDatabase("shop", version);
    }

    /**
     * {@code dir/w.conf}: state in {@code dir/state}, a quick settle interval, {@code extra}, and the target "shop"
     * on this server's database "shop".
     */
    public Path config(Path dir, String extra) throws Exception {
        return Files.writeString(dir.resolve("w.conf"), """
                state-dir = "%s"
                lock { settle-interval = 50ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), extra, odoo.url()));
    }

    @Override
    public void close() throws Exception {
        odoo.close();
        smtp.close();
    }
}
