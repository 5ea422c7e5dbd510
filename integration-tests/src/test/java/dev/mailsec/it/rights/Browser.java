package dev.mailsec.it.rights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}) driven through
 * Selenium, with a fresh profile, and screenshots at desktop and phone width.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    Browser() throws IOException {
        profile = Files.createTempDirectory("mailsec-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Two PNGs of the current page: {@code NAME-desktop.png} (1280 wide) and {@code NAME-phone.png}
     * (390 wide).
     */
    void screenshots(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        driver.manage().window().setSize(new Dimension(1280, 900));
        save(dir.resolve(name + "-desktop.png"));
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        try {
            save(dir.resolve(name + "-phone.png"));
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /**
     * Writes the screenshot to {@code target/screenshots/}, and into {@code docs} (the committed
     * copies) only when it is missing there or {@code -Dmailsec.screenshots.update=true}, so
     * ordinary test runs leave the documentation untouched.
     */
    private void save(Path docsTarget) throws IOException {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Path build = Path.of("target", "screenshots").resolve(docsTarget.getFileName());
        Files.createDirectories(build.getParent());
        Files.copy(shot, build, StandardCopyOption.REPLACE_EXISTING);
        if (!Files.exists(docsTarget) || Boolean.getBoolean("mailsec.screenshots.update")) {
            Files.copy(shot, docsTarget, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
