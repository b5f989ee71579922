package io.mailwatchdog.probe;

/**
 * Why a probe could not read the target. Kinds: unreachable, timeout, protocol, too-large,
 * login-refused, login-parked, access-error, unsupported-version, deadline, internal.
 */
public record ProbeFailure(String kind, String message) {
}
