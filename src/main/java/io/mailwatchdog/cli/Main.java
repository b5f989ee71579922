package io.mailwatchdog.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("odoo-mail-watchdog");
    }
}
