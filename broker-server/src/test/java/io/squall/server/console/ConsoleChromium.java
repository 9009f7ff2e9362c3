package io.squall.server.console;

import io.squall.server.testing.HeadlessChromium;
import java.time.Duration;

/** The console's login and logout as a user does them in {@link HeadlessChromium}, opened on {@code /console/}. */
final class ConsoleChromium {
    private ConsoleChromium() {}

    /** Types the password into the login form, submits it, and waits for the live page to connect. */
    static void logIn(HeadlessChromium browser, Duration wait) {
        browser.awaitTruthy("the login form", "document.getElementById('password') !== null", wait);
        browser.evaluate("document.getElementById('password').value = '" + ConsoleDoor.PASSWORD + "';"
                + "document.getElementById('login').click(); true");
        browser.awaitTruthy("the console is connected",
                "document.getElementById('ws-state')?.textContent === 'connected'", wait);
    }

    /** Logs out, so the broker holds no console connection when the test ends. */
    static void logOut(HeadlessChromium browser, Duration wait) {
        browser.evaluate("document.getElementById('logout').click(); true");
        browser.awaitTruthy("the login form again", "document.getElementById('password') !== null", wait);
    }
}
